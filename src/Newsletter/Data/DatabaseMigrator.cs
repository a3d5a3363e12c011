using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Newsletter.Data;

/// <summary>
/// Brings the database to the newest migration before anything else in the host runs
/// (registered first, so it starts before the scheduler, the delivery engine and the web front).
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        try
        {
            var applied = await MigrateAsync(db, cancellationToken);
            logger.LogInformation("Database ready ({Applied} migrations applied now)", applied);
        }
        catch (SqliteException e)
        {
            // SQLite's own words ("attempt to write a readonly database") do not say which file.
            throw new InvalidOperationException($"the database {db.Database.GetDbConnection().DataSource} cannot be used: {e.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies pending migrations and switches a SQLite file to WAL; returns how many were applied.</summary>
    public static async Task<int> MigrateAsync(NewsletterDbContext db, CancellationToken cancellationToken)
    {
        // On a new PostgreSQL database EF Core reads the history table before it exists and logs the
        // failed read as an error (dotnet/efcore#37328): every command's first run would print "fail:"
        // lines about a database that is fine. Creating the (empty) table first leaves nothing to fail.
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets the web front read while the delivery engine writes; the mode is stored in the file.
        // (PostgreSQL's readers never wait for writers; two instances migrating at once queue on EF
        // Core's migration lock.)
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        return pending;
    }
}
