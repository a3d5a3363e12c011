using System.Text.RegularExpressions;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Hosting;

/// <summary>
/// The direction of every arrow between the folders of src/Newsletter, read from the source the way
/// a newcomer reads it: `using Newsletter.X` and `Newsletter.X.Type` references. A new cycle fails here.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>
    /// Data holds the DbContext, which EF Core builds from every feature's entities: it may name them.
    /// Every other arrow must point one way.
    /// </summary>
    private static readonly HashSet<string> MayNameEveryFeature = ["Data"];

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

    private static void FindCycle(string node, List<string> path, List<string> cycles)
    {
        if (MayNameEveryFeature.Contains(node))
        {
            return;
        }

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

    private static Dictionary<string, HashSet<string>> ReadImports()
    {
        var src = Path.Combine(NewsletterApp.RepositoryRoot, "src", "Newsletter");
        var imports = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(relative) is { Length: > 0 } dir ? dir.Split(Path.DirectorySeparatorChar)[0] : ".";
            var set = imports.TryGetValue(folder, out var known) ? known : imports[folder] = [];
            foreach (Match m in Reference().Matches(File.ReadAllText(file)))
            {
                if (m.Groups[1].Value != folder)
                {
                    set.Add(m.Groups[1].Value);
                }
            }
        }

        return imports;
    }

    [GeneratedRegex(@"\bNewsletter\.([A-Z][A-Za-z]+)\b(?=[.;])")]
    private static partial Regex Reference();
}
