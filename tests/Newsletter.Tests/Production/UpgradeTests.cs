using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Newsletter.Data;

namespace Newsletter.Tests.Production;

/// <summary>
/// A new version started on an old SQLite database: `migrate --dry-run` tells, `migrate` keeps a copy
/// from before and migrates a copy that replaces the file; an old version on a newer database refuses to send.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private const string First = "20261124110348_Initial";
    private readonly string _data = Directory.CreateTempSubdirectory("newsletter-upgrade-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("newsletter-cwd-").FullName;

    private string Database => Path.Combine(_data, "newsletter.db");

    [Fact]
    public async Task AnUpgradeFromTheFirstMigrationKeepsACopyFromBeforeAndTheData()
    {
        await MigrateToAsync(First);
        await ExecuteAsync(Database,
            "INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, UnsubscribeToken) " +
            "VALUES ('early@example.com', 'early@example.com', 'Early Reader', 'Confirmed', 1764000000000, 'tok-early')");
        var env = PublishedBuild.Environment(_data);
        var all = await AllMigrationsAsync();

        var dryRun = await PublishedBuild.RunAsync(["migrate", "--dry-run"], env, _work);
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        Assert.Contains($"{all.Count - 1} migrations would be applied", dryRun.Stdout, StringComparison.Ordinal);
        Assert.All(all.Skip(1), m => Assert.Contains(m, dryRun.Stdout, StringComparison.Ordinal));
        Assert.Equal([First], await AppliedAsync(Database));

        var migrate = await PublishedBuild.RunAsync(["migrate"], env, _work);
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);

        var before = $"{Database}.before-{all[1]}";
        Assert.True(File.Exists(before), "no copy from before the migration: " + migrate.Stderr);
        Assert.Equal([First], await AppliedAsync(before));
        Assert.Equal("Early Reader", await ScalarAsync(before, "SELECT Name FROM Subscribers WHERE EmailKey = 'early@example.com'"));
        Assert.Equal(all, await AppliedAsync(Database));
        Assert.Equal("Early Reader", await ScalarAsync(Database, "SELECT Name FROM Subscribers WHERE EmailKey = 'early@example.com'"));
        Assert.Equal("ok", await ScalarAsync(Database, "PRAGMA integrity_check"));
        Assert.Equal("wal", await ScalarAsync(Database, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task AMigrationThatFailsHalfwayLeavesTheOldFileAsItWas()
    {
        await MigrateToAsync(First);
        await ExecuteAsync(Database,
            "INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, UnsubscribeToken) " +
            "VALUES ('early@example.com', 'early@example.com', 'Early Reader', 'Confirmed', 1764000000000, 'tok-early')");

        // A column the third migration adds is there already (a hand-made change): that migration
        // fails after the second one went through.
        await ExecuteAsync(Database, "ALTER TABLE Subscribers ADD COLUMN SignupAttemptAt INTEGER");
        var migrate = await PublishedBuild.RunAsync(["migrate"], PublishedBuild.Environment(_data), _work);

        Assert.NotEqual(0, migrate.ExitCode);
        Assert.Contains("is left as it was", migrate.Stderr, StringComparison.Ordinal);
        Assert.Contains("SignupAttemptAt", migrate.Stderr, StringComparison.Ordinal);
        Assert.Equal([First], await AppliedAsync(Database));
        Assert.Equal("Early Reader", await ScalarAsync(Database, "SELECT Name FROM Subscribers WHERE EmailKey = 'early@example.com'"));
        Assert.Empty(Directory.GetFiles(_data, "*.migrating*"));
    }

    [Fact]
    public async Task AnOldVersionOnANewerDatabaseRefusesToSendAndSaysWhy()
    {
        var env = PublishedBuild.Environment(_data);
        Assert.Equal(0, (await PublishedBuild.RunAsync(["migrate"], env, _work)).ExitCode);
        await ExecuteAsync(Database,
            "INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, UnsubscribeToken, SoftBounceCount, ConfirmationMailAttempts) " +
            "VALUES ('r@example.com', 'r@example.com', 'R', 'Confirmed', 1764000000000, 'tok-r', 0, 0)");
        await ExecuteAsync(Database, "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromANewerVersion', '99.0.0')");
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Port"] = "9";

        var send = await PublishedBuild.RunAsync(["send-now"], env, _work);

        Assert.NotEqual(0, send.ExitCode);
        Assert.Contains("upgraded by a newer version", send.Stderr, StringComparison.Ordinal);
        Assert.Contains("29991231000000_FromANewerVersion", send.Stderr, StringComparison.Ordinal);
        Assert.Equal("0", await ScalarAsync(Database, "SELECT COUNT(*) FROM Deliveries WHERE Status <> 'Queued'"));
    }

    private async Task MigrateToAsync(string migration)
    {
        await using var db = new NewsletterDbContext(new DbContextOptionsBuilder<NewsletterDbContext>().UseSqlite($"Data Source={Database};Pooling=False").Options);
        await db.GetService<IMigrator>().MigrateAsync(migration);
    }

    private async Task<List<string>> AllMigrationsAsync()
    {
        await using var db = new NewsletterDbContext(new DbContextOptionsBuilder<NewsletterDbContext>().UseSqlite($"Data Source={Database};Pooling=False").Options);
        return [.. db.Database.GetMigrations()];
    }

    private static async Task<List<string>> AppliedAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<string> ScalarAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The test's own SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    private static async Task ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The test's own SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_work, recursive: true);
    }
}
