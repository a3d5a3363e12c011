using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Hosting.Systemd;
using Npgsql;

namespace Newsletter.Data;

/// <summary>
/// Brings the database to the newest migration before anything else in the host runs
/// (registered first, so it starts before the scheduler, the delivery engine and the web front).
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, IServiceProvider services, ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>How often, while migrating under systemd, the start asks for more time, and how much.</summary>
    private static readonly TimeSpan ExtendEvery = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ExtendBy = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();

        // A long migration must not be killed by the unit's TimeoutStartSec: while it runs, systemd
        // is told every few seconds to wait a while longer (EXTEND_TIMEOUT_USEC). Only while it runs:
        // the rest of the start (the web front, the scheduler) is held to TimeoutStartSec as before.
        using var extending = services.GetService<ISystemdNotifier>() is { IsEnabled: true } notifier
            ? new Timer(_ => notifier.Notify(new ServiceState($"EXTEND_TIMEOUT_USEC={(long)ExtendBy.TotalMicroseconds}")), null, TimeSpan.Zero, ExtendEvery)
            : null;
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
        try
        {
            return await MigrateCoreAsync(db, cancellationToken);
        }
        catch (Exception e) when (db.Database.IsNpgsql() && FirstNpgsqlException(e) is { } npgsql)
        {
            // EF Core wraps a refused connection as "likely due to a transient failure", which names
            // neither the setting nor the server. Host, port and database only: never the password.
            var target = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            var reason = npgsql is PostgresException pg ? $"{pg.MessageText} ({pg.SqlState})"
                : npgsql.InnerException is { } inner ? $"{npgsql.Message}: {inner.Message}" : npgsql.Message;
            throw new InvalidOperationException(
                $"the PostgreSQL database in ConnectionStrings:Newsletter (database {target.Database} on {target.Host}:{target.Port}) cannot be used: {reason}", e);
        }
    }

    private static NpgsqlException? FirstNpgsqlException(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }

    private static async Task<int> MigrateCoreAsync(NewsletterDbContext db, CancellationToken cancellationToken)
    {
        // Npgsql reads the history table without asking whether it exists and catches the error, but
        // EF Core has logged that error by then: a command on a new database would print a failed
        // SELECT to stderr. The migration below creates the table first too (IF NOT EXISTS).
        if (db.Database.IsNpgsql())
        {
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        var logger = db.GetService<ILoggerFactory>().CreateLogger<DatabaseMigrator>();
        if (db.Database.IsSqlite() && pending.Count > 0 && await HoldsDataAsync(db, cancellationToken))
        {
            await SqliteUpgrade.MigrateAsync(db, pending, logger, cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            logger.LogWarning(
                "The database was upgraded by a newer version (it holds migrations this one does not know: {Migrations}); this instance will not send",
                string.Join(", ", unknown));
        }

        // WAL lets the web front read while the delivery engine writes; the mode is stored in the file.
        // (PostgreSQL's readers never wait for writers; two instances migrating at once queue on EF
        // Core's migration lock.)
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        return pending.Count;
    }

    /// <summary>A SQLite file that exists and was migrated before: one worth a copy before it changes.</summary>
    private static async Task<bool> HoldsDataAsync(NewsletterDbContext db, CancellationToken cancellationToken) =>
        db.Database.GetDbConnection().DataSource is { Length: > 0 } file && File.Exists(file)
        && (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any();

    /// <summary>What `migrate` would apply, oldest first; nothing is changed.</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(NewsletterDbContext db, CancellationToken cancellationToken) =>
        [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
}
