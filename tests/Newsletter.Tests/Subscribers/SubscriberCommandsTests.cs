using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>`subscribers import FILE` and `subscribers export`, run as an operator would.</summary>
public class SubscriberCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-subscribers-").FullName;
    private readonly DatabaseProvider _provider;

    /// <summary>The PostgreSQL database the commands of this test use (null on SQLite: a file in the folder).</summary>
    private readonly string? _database;

    public SubscriberCommandsTests()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected SubscriberCommandsTests(DatabaseProvider provider)
    {
        _provider = provider;
        _database = provider == DatabaseProvider.Postgres ? PostgresServer.Shared.CreateDatabase() : null;
    }

    /// <summary>
    /// A command that meets a new database migrates it first: on PostgreSQL that is a hundred DDL
    /// statements, which on a loaded two-core machine can take longer than CliProcess's minute.
    /// </summary>
    private static Task<CliProcess.Result> RunAsync(IEnumerable<string> args, Dictionary<string, string?> environment, string? workingDirectory = null) =>
        CliProcess.RunAsync(args, environment, TimeSpan.FromMinutes(3), workingDirectory);

    /// <summary>The settings every command of a test runs with: its own outbox and database.</summary>
    private Dictionary<string, string?> Settings() =>
        _database is null ? CliProcess.IsolatedEnvironment(_folder) : CliProcess.IsolatedEnvironment(_folder, _provider, _database);

    [Fact]
    public async Task ImportReportsInvalidLinesThenExportWritesTheList()
    {
        var env = Settings();
        var file = Path.Combine(_folder, "list.csv");
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

    [Fact]
    public async Task ExportCanWriteToAFile()
    {
        var env = Settings();
        var file = Path.Combine(_folder, "in.csv");
        await File.WriteAllTextAsync(file, "tofile@example.com\n");
        Assert.Equal(0, (await RunAsync(["subscribers", "import", file], env)).ExitCode);
        var output = Path.Combine(_folder, "out.csv");

        var export = await RunAsync(["subscribers", "export", "--output", output], env);

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("tofile@example.com,,confirmed,", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrEmptyFileIsOneClearLine()
    {
        var env = Settings();
        var empty = Path.Combine(_folder, "empty.csv");
        await File.WriteAllTextAsync(empty, "");

        var missing = await RunAsync(["subscribers", "import", Path.Combine(_folder, "nope.csv")], env);
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
        await File.WriteAllTextAsync(Path.Combine(_folder, "list.csv"), "email,name\nada@example.com,Ada\n");

        var folder = await RunAsync(["subscribers", "import", "."], env, workingDirectory: _folder);
        var import = await RunAsync(["subscribers", "import", "list.csv"], env, workingDirectory: _folder);
        var export = await RunAsync(["subscribers", "export", "--output", "out.csv"], env, workingDirectory: _folder);

        Assert.NotEqual(0, folder.ExitCode);
        Assert.Contains("is a folder", Assert.Single(folder.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("ada@example.com", await File.ReadAllTextAsync(Path.Combine(_folder, "out.csv")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        Directory.Delete(_folder, recursive: true);
        if (_database is not null)
        {
            PostgresServer.Shared.DropDatabase(_database);
        }
    }
}

/// <summary>The same commands with Database:Provider=Postgres.</summary>
public sealed class SubscriberCommandsOnPostgresTests() : SubscriberCommandsTests(DatabaseProvider.Postgres);
