using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newsletter.Hosting;
using Npgsql;

namespace Newsletter.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        var database = DatabaseOptions.Read(services);
        services.AddSingleton(database);

        // Read when the container builds, not now: configuration added later (tests, hosts) must count.
        // The options are built once per container (a singleton), not for every request's context:
        // parsing and rooting the connection string each time was 4% of the product's CPU while
        // link scanners opened pages during a send (issue 28). Each context is still per scope.
        if (database.Provider == DatabaseProvider.Postgres)
        {
            // Features ask for NewsletterDbContext; on PostgreSQL they get the context that owns the
            // PostgreSQL migrations.
            services.AddDbContext<NewsletterDbContext, PostgresNewsletterDbContext>(
                (sp, o) => o.UseNpgsql(PostgresConnectionString(sp)), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }
        else
        {
            services.AddDbContext<NewsletterDbContext>(
                (sp, o) => o.UseSqlite(ConnectionString(sp)).AddInterceptors(Pragmas), ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        }

        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<SchemaGuard>();
        services.AddSharedDataProtectionKeys();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    private static readonly SqlitePragmas Pragmas = new();

    private static string Configured(IServiceProvider services)
    {
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Newsletter");
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException("configuration error: ConnectionStrings:Newsletter is required")
            : connectionString;
    }

    private static string PostgresConnectionString(IServiceProvider services)
    {
        var connectionString = Configured(services);
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"configuration error: ConnectionStrings:Newsletter is not a PostgreSQL (Npgsql) connection string: {e.Message}", e);
        }
    }

    private static string ConnectionString(IServiceProvider services)
    {
        var connectionString = Configured(services);
        SqliteConnectionStringBuilder parsed;
        try
        {
            parsed = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"configuration error: ConnectionStrings:Newsletter is not a SQLite connection string: {e.Message}", e);
        }

        return WithRootedFile(parsed, services.GetRequiredService<IHostEnvironment>());
    }

    /// <summary>A relative file name is relative to the data root (AppRoot.DataRoot), not to wherever the process started.</summary>
    private static string WithRootedFile(SqliteConnectionStringBuilder parsed, IHostEnvironment environment)
    {
        var rooted = new SqliteConnectionStringBuilder(parsed.ConnectionString);
        if (!string.IsNullOrEmpty(rooted.DataSource) && rooted.DataSource != ":memory:" && rooted.Mode != SqliteOpenMode.Memory)
        {
            rooted.DataSource = environment.ResolveDataPath(rooted.DataSource);
        }

        return rooted.ConnectionString;
    }
}

/// <summary>
/// GET /health's "database" entry: reachable, migrated, and writable. On SQLite the write probe
/// rewrites the file's user_version (unused by EF Core and Quartz) with its own value: a real commit,
/// so a read-only file or a full disk shows here before a reader meets it. On PostgreSQL it asks for
/// a transaction id, which a read-only server (a standby, default_transaction_read_only) refuses.
/// </summary>
internal sealed class DatabaseHealthCheck(NewsletterDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Connected first: for a database that does not exist (dropped, or a wrong name), EF Core
            // reports every migration pending rather than an error.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending.Count} migrations not applied");
            }
        }
        catch (Exception e) when (e is DbException || e.InnerException is DbException)
        {
            // Npgsql's execution strategy wraps a refused connection in an InvalidOperationException.
            return HealthCheckResult.Unhealthy("unreachable", e);
        }

        if (db.Database.IsPostgres())
        {
            return await PostgresWritableAsync(cancellationToken);
        }

        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA user_version;";
                var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
#pragma warning disable CA2100 // The value is the number the database itself just returned.
                command.CommandText = $"PRAGMA user_version = {version};";
#pragma warning restore CA2100
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return HealthCheckResult.Healthy("reachable, migrated and writable");
        }
        catch (DbException e)
        {
            return HealthCheckResult.Unhealthy($"cannot be written: {e.Message}", e);
        }
    }

    /// <summary>
    /// PostgreSQL has no PRAGMA: a transaction id is only given where writes may happen (a standby
    /// refuses), the session must not be read-only, and the app's role must be allowed to write
    /// (subscribers stands for the tables: a REVOKE meant for one is usually for all).
    /// </summary>
    private async Task<HealthCheckResult> PostgresWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            var state = await db.Database.SqlQueryRaw<string>(
                """
                SELECT CASE
                    WHEN current_setting('transaction_read_only') = 'on' THEN 'read-only'
                    WHEN NOT (has_table_privilege('subscribers', 'INSERT') AND has_table_privilege('subscribers', 'UPDATE')
                              AND has_table_privilege('subscribers', 'DELETE')) THEN 'no-privilege'
                    ELSE 'writable' END AS "Value"
                FROM (SELECT pg_current_xact_id()) AS x
                """).SingleAsync(cancellationToken);
            return state switch
            {
                "writable" => HealthCheckResult.Healthy("reachable, migrated and writable"),
                "read-only" => HealthCheckResult.Unhealthy("cannot be written: the database is read-only"),
                _ => HealthCheckResult.Unhealthy("cannot be written: the connection's role may not write the tables (a REVOKE?)"),
            };
        }
        catch (PostgresException e)
        {
            return HealthCheckResult.Unhealthy($"cannot be written: {e.MessageText}", e);
        }
    }
}
