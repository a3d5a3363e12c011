using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL 15 for the tests: one server per test run (started by the first test class that
/// asks, stopped and removed when the test process has ended), in a temp folder, on a free loopback port, with its
/// socket in that folder. Each test class gets a database of its own from <see cref="CreateDatabase"/>.
/// initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
/// </summary>
public sealed class PostgresServer
{
    public const string BinFolder = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<PostgresServer> SharedServer = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresServer(string folder, int port)
    {
        Folder = folder;
        Port = port;
    }

    /// <summary>The run's server, started on first use.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public string Folder { get; }

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> as the superuser (trust authentication).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,

        // Many apps (one per test class) share the server: keep each one's idle connections few.
        MaxPoolSize = 20,
        ConnectionIdleLifetime = 10,
    }.ConnectionString;

    /// <summary>A new, empty database with a name no other test class uses; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        Execute($"CREATE DATABASE {name}");
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing whatever still uses it.</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        if (new NpgsqlConnectionStringBuilder(connectionString).Username == name)
        {
            Execute($"DROP ROLE IF EXISTS {name}");
        }
    }

    /// <summary>
    /// A new, empty database owned by a new login role of the same name, as an operator's app role
    /// would be (the superuser of <see cref="CreateDatabase"/> passes every privilege check); returns
    /// its connection string as that role. <see cref="DropDatabase"/> removes both.
    /// </summary>
    public string CreateDatabaseWithOwnRole()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        Execute($"CREATE ROLE {name} LOGIN");
        Execute($"CREATE DATABASE {name} OWNER {name}");
        return new NpgsqlConnectionStringBuilder(ConnectionString(name)) { Username = name }.ConnectionString;
    }

    /// <summary>Takes INSERT, UPDATE and DELETE on every table from the role of <paramref name="connectionString"/>.</summary>
    public void RevokeWrites(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        Execute($"REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM {target.Username}", target.Database!);
    }

    /// <summary>
    /// Makes every new session on the database read-only, as an operator's
    /// default_transaction_read_only (or a standby) does, so writes meet PostgreSQL's own 25006; and
    /// closes the idle connections of <paramref name="connectionString"/>'s pool (busy ones close when
    /// returned), since a session keeps the setting it started with. <paramref name="on"/> false undoes it.
    /// </summary>
    public void SetReadOnly(string connectionString, bool on)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        Execute(on ? $"ALTER DATABASE {name} SET default_transaction_read_only = on" : $"ALTER DATABASE {name} RESET default_transaction_read_only");
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
    }

    private void Execute(string sql, string database = "postgres")
    {
        using var connection = new NpgsqlConnection(ConnectionString(database));
        connection.Open();
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Database and role names are made here from a Guid.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    private static PostgresServer Start()
    {
        if (!File.Exists(Path.Combine(BinFolder, "postgres")))
        {
            throw new InvalidOperationException($"{BinFolder}/postgres is missing: install postgresql-15 (tests/run-tests.sh does)");
        }

        var folder = Directory.CreateTempSubdirectory("newsletter-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        var data = Path.Combine(folder, "data");
        Run(Path.Combine(BinFolder, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"], asRoot);

        var port = FreePort();

        // A throwaway server: durability settings off, room for every test class's connections.
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=400";
        Run(Path.Combine(BinFolder, "pg_ctl"), ["-D", data, "-w", "-t", "60", "-l", Path.Combine(folder, "server.log"), "-o", options, "start"], asRoot);

        StartJanitor(folder, data, asRoot);
        return new PostgresServer(folder, port);
    }

    /// <summary>
    /// A detached shell that waits for this test process to end (however it ends, a kill included),
    /// then stops the server and removes its folder: the test host may be ended before a handler of
    /// its own could do either.
    /// </summary>
    private static void StartJanitor(string folder, string data, bool asRoot)
    {
        var stop = $"{Path.Combine(BinFolder, "pg_ctl")} -D '{data}' -m immediate stop";
        var script =
            "exec </dev/null >/dev/null 2>&1; " +
            $"while kill -0 {Environment.ProcessId}; do sleep 1; done; " +
            (asRoot ? $"runuser -u postgres -- {stop}; " : stop + "; ") +
            $"rm -rf '{folder}'";
        using var janitor = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false });
    }

    private static void Run(string file, IEnumerable<string> args, bool asPostgres)
    {
        var info = asPostgres ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {stderr} {stdout.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
