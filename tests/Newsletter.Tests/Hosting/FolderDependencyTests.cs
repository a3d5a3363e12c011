using System.Text.RegularExpressions;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Hosting;

/// <summary>
/// The direction of every arrow between the folders of src/Newsletter, read from the source the way
/// a newcomer reads it: `using Newsletter.X`, `Newsletter.X.Type` and `global::Newsletter.X.Type`
/// references, and the short `X.Type` that C# resolves inside `namespace Newsletter.Y` (for a type
/// that folder X declares). A new cycle fails here.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string Source = Path.Combine(NewsletterApp.RepositoryRoot, "src", "Newsletter");

    /// <summary>The types each folder declares: `X.Type` is a reference to folder X only for these.</summary>
    private static readonly Dictionary<string, HashSet<string>> Declared = SourceFiles()
        .GroupBy(FolderOf)
        .ToDictionary(g => g.Key, g => g.SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet());

    private static readonly Dictionary<string, HashSet<string>> Imports = ReadImports();

    [Fact]
    public void OnlyTheEntryPointSeesTheCompositionRoot()
    {
        var offenders = Imports.Where(f => f.Key is not "Composition" and not "." && f.Value.Contains("Composition")).Select(f => f.Key);
        Assert.Empty(offenders);
        Assert.Contains("Composition", Imports["."]);
    }

    [Fact]
    public void TheSharedCoreImportsNoFeature()
    {
        Assert.Empty(Imports.GetValueOrDefault("Hosting", []));
    }

    [Fact]
    public void DataNamesNoFeature()
    {
        // Each feature keeps its entities' mappings; Data knows the database and the shared core only.
        Assert.Empty(Imports["Data"].Except(["Hosting"]));
    }

    [Fact]
    public void NoTwoFoldersImportEachOtherInACycle()
    {
        var cycles = new List<string>();
        foreach (var start in Imports.Keys)
        {
            FindCycle(start, [start], cycles);
        }

        Assert.True(cycles.Count == 0, "import cycles: " + string.Join("; ", cycles.Distinct()));
    }

    [Fact]
    public void TheCheckSeesTheArrowsThatExist()
    {
        // Guards the reader above: if it found nothing, the other tests could not fail.
        Assert.Contains("Comparisons", Imports["Digests"]);
        Assert.Contains("Hosting", Imports["Comparisons"]);
        Assert.DoesNotContain("Digests", Imports["Comparisons"]);
    }

    [Theory]
    [InlineData("using Newsletter.Votes;", "Votes")]
    [InlineData("await db.Set<Votes.Vote>().CountAsync();", "Votes")]
    [InlineData("var s = global::Newsletter.Inbound.DeliveryReport.Empty;", "Inbound")]
    [InlineData("x.Status == Newsletter.Delivery.DeliveryStatus.Sent", "Delivery")]
    [InlineData("/// <see cref=\"Delivery.DeliveryStatus\"/>", "Delivery")]
    [InlineData("using static Newsletter.Votes.Vote;", "Votes")]
    public void TheCheckSeesQualifiedNames(string line, string folder)
    {
        Assert.Contains(folder, References(line, "Subscribers"));
    }

    [Theory]
    [InlineData("await db.Subscribers.Where(s => s.Id == id).ToListAsync();")]
    [InlineData("var text = \"Votes.Vote and Newsletter.Votes.Vote in a string\";")]
    [InlineData("// Delivery.DeliveryStatus in a remark")]
    [InlineData("var n = issue.Comparisons.Count;")]
    public void TheCheckIgnoresWhatIsNotAReference(string line)
    {
        Assert.Empty(References(line, "Subscribers"));
    }

    [Fact]
    public void TheConsoleReadsThroughTheFeaturesNotTheirTables()
    {
        // The console composes pages from each feature's reads (IssueReads, DeliveryFigures, …); without
        // the context's type no table is in reach, so naming it (or a set, or SQL) is the line not to cross.
        var offenders = SourceFiles().Where(f => FolderOf(f) == "EditorConsole")
            .SelectMany(f => DatabaseAccess(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m}"))
            .ToList();
        Assert.True(offenders.Count == 0, "the console reaches into the database: " + string.Join("; ", offenders));
        Assert.DoesNotContain("Data", Imports["EditorConsole"]);
    }

    [Theory]
    [InlineData("ConsolePages pages, NewsletterDbContext db, CancellationToken ct", "NewsletterDbContext")]
    [InlineData("var db = services.GetRequiredService<PostgresNewsletterDbContext>();", "PostgresNewsletterDbContext")]
    [InlineData("DbSet<Subscriber> readers = context.Subscribers;", "DbSet")]
    [InlineData("await db.Set<Vote>().CountAsync(ct);", ".Set<")]
    [InlineData("await database.ExecuteSqlRawAsync(sql);", "ExecuteSqlRawAsync")]
    [InlineData("/// <see cref=\"NewsletterDbContext\"/>", "NewsletterDbContext")]
    public void TheConsoleCheckSeesTheDatabase(string line, string found)
    {
        Assert.Contains(found, DatabaseAccess(line));
    }

    [Theory]
    [InlineData("var readers = await subscribers.ConfirmedAsync(ct);")]
    [InlineData("var text = \"NewsletterDbContext in a string\";")]
    [InlineData("// a remark about DbSet and db.Set<Vote>()")]
    [InlineData("Issues = rows.Select(r => r.Number).ToList(),")]
    public void TheConsoleCheckIgnoresWhatIsNotTheDatabase(string line)
    {
        Assert.Empty(DatabaseAccess(line));
    }

    /// <summary>The names in <paramref name="code"/> that reach the database directly: a context, a set, raw SQL (strings and plain remarks left out).</summary>
    private static List<string> DatabaseAccess(string code)
    {
        var text = string.Join('\n', code.Split('\n').Select(l => l.TrimStart().StartsWith("///", StringComparison.Ordinal) ? l : StringOrRemark().Replace(l, " ")));
        return [.. DatabaseName().Matches(text).Select(m => m.Value)];
    }

    private static void FindCycle(string node, List<string> path, List<string> cycles)
    {
        foreach (var next in Imports.GetValueOrDefault(node, []))
        {
            if (next == path[0])
            {
                cycles.Add(string.Join(" -> ", path.Append(next)));
            }
            else if (!path.Contains(next) && string.CompareOrdinal(next, path[0]) > 0)
            {
                FindCycle(next, [.. path, next], cycles);
            }
        }
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(Source, f) is var r && !r.StartsWith("bin", StringComparison.Ordinal) && !r.StartsWith("obj", StringComparison.Ordinal));

    private static string FolderOf(string file) =>
        Path.GetDirectoryName(Path.GetRelativePath(Source, file)) is { Length: > 0 } dir ? dir.Split(Path.DirectorySeparatorChar)[0] : ".";

    private static Dictionary<string, HashSet<string>> ReadImports()
    {
        var imports = new Dictionary<string, HashSet<string>>();
        foreach (var file in SourceFiles())
        {
            var folder = FolderOf(file);
            var set = imports.TryGetValue(folder, out var known) ? known : imports[folder] = [];
            set.UnionWith(References(File.ReadAllText(file), folder));
        }

        return imports;
    }

    /// <summary>The folders a piece of code in <paramref name="folder"/> names, strings and plain comments left out.</summary>
    private static HashSet<string> References(string code, string folder)
    {
        var text = string.Join('\n', code.Split('\n').Select(l => l.TrimStart().StartsWith("///", StringComparison.Ordinal) ? l : StringOrRemark().Replace(l, " ")));
        var found = new HashSet<string>();
        foreach (Match m in FullName().Matches(text))
        {
            found.Add(m.Groups[1].Value);
        }

        foreach (Match m in ShortName().Matches(text))
        {
            if (Declared.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value))
            {
                found.Add(m.Groups[1].Value);
            }
        }

        found.Remove(folder);
        return found;
    }

    [GeneratedRegex(@"\bNewsletter\.([A-Z][A-Za-z]+)\b(?=[.;])")]
    private static partial Regex FullName();

    /// <summary>`Votes.Vote` not after a dot (so not `db.Votes.Where`, nor the tail of `Newsletter.Votes.Vote`).</summary>
    [GeneratedRegex(@"(?<![\w.])([A-Z][A-Za-z]+)\.([A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex ShortName();

    [GeneratedRegex(@"\b\w*DbContext\b|\bDbSet\b|\.Set<|\b(?:FromSql|ExecuteSql|SqlQuery)\w*")]
    private static partial Regex DatabaseName();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?([A-Z][A-Za-z0-9]*)")]
    private static partial Regex Declaration();

    /// <summary>Verbatim and plain string literals, and `//` remarks that are not `///` documentation (whose crefs are references).</summary>
    [GeneratedRegex("""@"(?:[^"]|"")*"|"(?:[^"\\\n]|\\.)*"|(?<!/)//(?!/)[^\n]*""")]
    private static partial Regex StringOrRemark();
}
