using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using Npgsql;

namespace Newsletter.Tests.Data;

/// <summary>The schema comes from the migrations at start, on SQLite here and on PostgreSQL below.</summary>
public class MigrationTests(MigrationTests.App app) : IClassFixture<MigrationTests.App>
{
    public class App : NewsletterApp
    {
        public App()
        {
        }

        protected App(DatabaseProvider provider)
            : base(provider: provider)
        {
        }
    }

    [Fact]
    public async Task StartAppliesEveryMigrationToAFreshFile()
    {
        _ = app.CreateClient();

        var (applied, all, pendingModelChanges) = await app.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            db.Database.GetMigrations().ToList(),
            db.Database.HasPendingModelChanges()));

        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.False(pendingModelChanges, "the model has changes no migration captures: add a migration");
    }

    [Fact]
    public async Task AStrangerSeesTheHealthStatusOnlyAndAnEditorEachCheck()
    {
        var stranger = await (await app.CreateClient().GetAsync("/health")).Content.ReadFromJsonAsync<JsonElement>();
        var wrongKey = app.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-admin-key");
        var guessed = await (await wrongKey.GetAsync("/health")).Content.ReadFromJsonAsync<JsonElement>();
        var editor = await (await app.CreateAdminClient().GetAsync("/health")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(["status"], stranger.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["status"], guessed.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", stranger.GetProperty("status").GetString());
        Assert.True(editor.GetProperty("checks").TryGetProperty("database", out _));
    }

    [Fact]
    public async Task HealthReportsTheDatabase()
    {
        var response = await app.CreateAdminClient().GetAsync("/health");

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("scheduler").GetProperty("status").GetString());
    }
}

public sealed class MigrationOnPostgresTests(MigrationOnPostgresTests.PostgresApp app) : MigrationTests(app), IClassFixture<MigrationOnPostgresTests.PostgresApp>
{
    public sealed class PostgresApp() : App(DatabaseProvider.Postgres);

    [Fact]
    public async Task TheSchedulerJoinsAClusterInTheSameDatabase()
    {
        _ = app.CreateClient();

        // A clustered Quartz node checks in (a row per instance) as soon as it starts.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state", connection);
        long nodes = 0;
        await Delivery.DeliveryTestData.WaitUntilAsync(async () => (nodes = (long)(await command.ExecuteScalarAsync())!) > 0, TimeSpan.FromSeconds(30));

        Assert.Equal(1, nodes);
    }

    [Fact]
    public async Task MigrateCommandCreatesTheSchemaInAnEmptyDatabase()
    {
        var connectionString = PostgresServer.Shared.CreateDatabase();
        var folder = Directory.CreateTempSubdirectory("newsletter-migrate-").FullName;
        try
        {
            var environment = CliProcess.IsolatedEnvironment(folder);
            environment["Database__Provider"] = "Postgres";
            environment["ConnectionStrings__Newsletter"] = connectionString;

            var result = await CliProcess.RunAsync(["migrate"], environment);

            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Contains("up to date", result.Stdout, StringComparison.Ordinal);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM subscribers", connection);
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(connectionString);
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>What only a SQLite file has: WAL mode, a file that `migrate` creates.</summary>
public sealed class SqliteFileTests(MigrationTests.App app) : IClassFixture<MigrationTests.App>
{
    [Fact]
    public async Task DatabaseFileIsInWalMode()
    {
        _ = app.CreateClient();

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.Folder, "newsletter.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MigrateCommandCreatesTheDatabase()
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-migrate-").FullName;
        try
        {
            var result = await CliProcess.RunAsync(["migrate"], CliProcess.IsolatedEnvironment(folder));

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("up to date", result.Stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "newsletter.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnUnknownProviderStopsTheStartNamingTheKey()
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-migrate-").FullName;
        try
        {
            var environment = CliProcess.IsolatedEnvironment(folder);
            environment["Database__Provider"] = "Oracle";

            var result = await CliProcess.RunAsync(["migrate"], environment);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("Database:Provider must be Sqlite or Postgres", result.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "newsletter.db")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
