using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Data;

public sealed class MigrationTests(MigrationTests.App app) : IClassFixture<MigrationTests.App>
{
    public sealed class App : NewsletterApp;

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
    public async Task HealthReportsTheDatabase()
    {
        var response = await app.CreateClient().GetAsync("/health");

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
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
}
