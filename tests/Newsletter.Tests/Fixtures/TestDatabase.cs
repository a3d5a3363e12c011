using Newsletter.Data;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// A database that several runs in one test share (the executable's commands, an app and its
/// restart): a SQLite file in the test's folder, or (with <see cref="DatabaseProvider.Postgres"/>) a
/// new database on the run's <see cref="PostgresServer"/>, dropped again at <see cref="Dispose"/>.
/// <see cref="Environment"/> is <see cref="CliProcess.IsolatedEnvironment(string)"/> pointed at it.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _folder;

    public TestDatabase(DatabaseProvider provider, string folder)
    {
        Provider = provider;
        _folder = folder;
        ConnectionString = provider == DatabaseProvider.Postgres
            ? PostgresServer.Shared.CreateDatabase()
            : CliProcess.IsolatedEnvironment(folder)["ConnectionStrings__Newsletter"]!;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Settings (environment variables) for a command on this database, with the folder's outbox.</summary>
    public Dictionary<string, string?> Environment()
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        env["Database__Provider"] = Provider.ToString();
        env["ConnectionStrings__Newsletter"] = ConnectionString;
        return env;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Provider == DatabaseProvider.Postgres)
        {
            PostgresServer.Shared.DropDatabase(ConnectionString);
        }
    }
}
