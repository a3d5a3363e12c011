using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Comparisons;

/// <summary>
/// `import PATH`, run as the operator would: the executable with its own database. The imports that
/// write (a good file beside bad ones included) run on each engine; how the command reads its
/// path and files reads no data and runs on SQLite only (<see cref="ImportCommandTests"/>).
/// </summary>
public abstract class ImportCommandTestsBase : IDisposable
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("newsletter-import-").FullName;
    private TestDatabase? _database;

    /// <summary>The database the commands of this class run on.</summary>
    protected abstract DatabaseProvider Provider { get; }

    protected TestDatabase Database => _database ??= new TestDatabase(Provider, Folder);

    [Fact]
    public async Task ImportsTheSampleFolderThenUpdatesOnRepeat()
    {
        var env = Database.Environment();

        var first = await CliProcess.RunAsync(["import", SampleComparisons.Folder], env);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("created", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 imported, 0 invalid", first.Stdout, StringComparison.Ordinal);

        var second = await CliProcess.RunAsync(["import", SampleComparisons.Path1], env);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("updated", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedFileIsNamedWithItsFieldsAndTheGoodOnesStillImport()
    {
        var docs = Directory.CreateDirectory(Path.Combine(Folder, "docs")).FullName;
        File.Copy(SampleComparisons.Path1, Path.Combine(docs, "good.json"));
        var bad = SampleComparisons.Node();
        bad["url"] = "not a url";
        bad["tools"]!.AsArray().RemoveAt(1);
        await File.WriteAllTextAsync(Path.Combine(docs, "bad.json"), bad.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(docs, "broken.json"), "{ \"slug\": ");

        var result = await CliProcess.RunAsync(["import", docs], Database.Environment());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("1 imported, 2 invalid", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("bad.json: url", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("tools", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("broken.json", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The imports on SQLite, and how the command reads its path and files.</summary>
public sealed class ImportCommandTests : ImportCommandTestsBase
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task RelativePathIsTakenFromTheFolderTheCommandWasTypedIn()
    {
        // As typed at the top of the checkout: `… -- import tests/data/comparisons`.
        var typedIn = Path.GetDirectoryName(SampleComparisons.Folder)!;
        var result = await CliProcess.RunAsync(["import", "comparisons"], Database.Environment(), workingDirectory: typedIn);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("created " + SampleComparisons.Path1, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableFileDoesNotStopTheFilesAfterIt()
    {
        var docs = Directory.CreateDirectory(Path.Combine(Folder, "docs")).FullName;
        File.CreateSymbolicLink(Path.Combine(docs, "a-gone.json"), Path.Combine(Folder, "deleted-meanwhile.json"));
        File.Copy(SampleComparisons.Path1, Path.Combine(docs, "b-good.json"));

        var result = await CliProcess.RunAsync(["import", docs], Database.Environment());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("a-gone.json: file could not be read", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("created " + Path.Combine(docs, "b-good.json"), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 imported, 1 invalid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPathIsOneClearLine()
    {
        var result = await CliProcess.RunAsync(["import", Path.Combine(Folder, "nope")], Database.Environment());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nope", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}

/// <summary>The same imports into a PostgreSQL database.</summary>
public sealed class ImportCommandOnPostgresTests : ImportCommandTestsBase
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
