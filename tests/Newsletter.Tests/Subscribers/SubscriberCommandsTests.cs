using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// `subscribers import FILE` and `subscribers export`, run as an operator would. The import and
/// export of a list run on each engine; how the commands read their paths and files reads no data
/// and runs on SQLite only (<see cref="SubscriberCommandsTests"/>).
/// </summary>
public abstract class SubscriberCommandsTestsBase : IDisposable
{
    private readonly DatabaseProvider _provider;

    /// <summary>The PostgreSQL database the commands of this test use (null on SQLite: a file in the folder).</summary>
    private readonly string? _database;

    protected SubscriberCommandsTestsBase(DatabaseProvider provider)
    {
        _provider = provider;
        _database = provider == DatabaseProvider.Postgres ? PostgresServer.Shared.CreateDatabase() : null;
    }

    /// <summary>The test's folder: its files, its outbox, and on SQLite its database.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("newsletter-subscribers-").FullName;

    /// <summary>
    /// A command that meets a new database migrates it first: on PostgreSQL that is a hundred DDL
    /// statements, which on a loaded two-core machine can take longer than CliProcess's minute.
    /// </summary>
    protected static Task<CliProcess.Result> RunAsync(IEnumerable<string> args, Dictionary<string, string?> environment, string? workingDirectory = null) =>
        CliProcess.RunAsync(args, environment, TimeSpan.FromMinutes(3), workingDirectory);

    /// <summary>The settings every command of a test runs with: its own outbox and database.</summary>
    protected Dictionary<string, string?> Settings() =>
        _database is null ? CliProcess.IsolatedEnvironment(Folder) : CliProcess.IsolatedEnvironment(Folder, _provider, _database);

    [Fact]
    public async Task ImportReportsInvalidLinesThenExportWritesTheList()
    {
        var env = Settings();
        var file = Path.Combine(Folder, "list.csv");
        await File.WriteAllTextAsync(file, "email,name,status\ncli1@example.com,\"Smith, Ann\",confirmed\nnot an address,Bad\ncli2@example.com,=1+1,pending\n");

        var import = await RunAsync(["subscribers", "import", file], env);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("2 added, 0 updated, 0 unchanged, 1 invalid", import.Stdout, StringComparison.Ordinal);
        Assert.Contains("list.csv line 3:", import.Stderr, StringComparison.Ordinal);

        var export = await RunAsync(["subscribers", "export"], env);

        Assert.Equal(0, export.ExitCode);
        var lines = export.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("email,name,status,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("cli1@example.com,\"Smith, Ann\",confirmed,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("cli2@example.com,\"'=1+1\",pending,", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);

        var again = await RunAsync(["subscribers", "import", file], env);
        Assert.Contains("0 added, 0 updated, 2 unchanged, 1 invalid", again.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        Directory.Delete(Folder, recursive: true);
        if (_database is not null)
        {
            PostgresServer.Shared.DropDatabase(_database);
        }
    }
}

/// <summary>The list's import and export on SQLite, and how the commands read their paths and files.</summary>
public sealed class SubscriberCommandsTests() : SubscriberCommandsTestsBase(DatabaseProvider.Sqlite)
{
    [Fact]
    public async Task ExportCanWriteToAFile()
    {
        var env = Settings();
        var file = Path.Combine(Folder, "in.csv");
        await File.WriteAllTextAsync(file, "tofile@example.com\n");
        Assert.Equal(0, (await RunAsync(["subscribers", "import", file], env)).ExitCode);
        var output = Path.Combine(Folder, "out.csv");

        var export = await RunAsync(["subscribers", "export", "--output", output], env);

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("tofile@example.com,,confirmed,", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrEmptyFileIsOneClearLine()
    {
        var env = Settings();
        var empty = Path.Combine(Folder, "empty.csv");
        await File.WriteAllTextAsync(empty, "");

        var missing = await RunAsync(["subscribers", "import", Path.Combine(Folder, "nope.csv")], env);
        var blank = await RunAsync(["subscribers", "import", empty], env);

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("nope.csv", Assert.Single(missing.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.NotEqual(0, blank.ExitCode);
        Assert.Contains("empty", Assert.Single(blank.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderIsRefusedWithAClearLineAndRelativePathsAreTheCallers()
    {
        var env = Settings();
        await File.WriteAllTextAsync(Path.Combine(Folder, "list.csv"), "email,name\nada@example.com,Ada\n");

        var folder = await RunAsync(["subscribers", "import", "."], env, workingDirectory: Folder);
        var import = await RunAsync(["subscribers", "import", "list.csv"], env, workingDirectory: Folder);
        var export = await RunAsync(["subscribers", "export", "--output", "out.csv"], env, workingDirectory: Folder);

        Assert.NotEqual(0, folder.ExitCode);
        Assert.Contains("is a folder", Assert.Single(folder.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("ada@example.com", await File.ReadAllTextAsync(Path.Combine(Folder, "out.csv")), StringComparison.Ordinal);
    }
}

/// <summary>The same import and export with Database:Provider=Postgres.</summary>
public sealed class SubscriberCommandsOnPostgresTests() : SubscriberCommandsTestsBase(DatabaseProvider.Postgres);
