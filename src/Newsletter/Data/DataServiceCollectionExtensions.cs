using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Newsletter.Hosting;

namespace Newsletter.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        // Read when the container builds, not now: configuration added later (tests, hosts) must count.
        services.AddDbContext<NewsletterDbContext>((sp, o) => o.UseSqlite(ConnectionString(sp)).AddInterceptors(Pragmas));
        services.AddHostedService<DatabaseMigrator>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    private static readonly SqlitePragmas Pragmas = new();

    private static string ConnectionString(IServiceProvider services)
    {
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Newsletter");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("configuration error: ConnectionStrings:Newsletter is required");
        }

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

    /// <summary>A relative file name is relative to the content root, not to wherever the process started.</summary>
    private static string WithRootedFile(SqliteConnectionStringBuilder parsed, IHostEnvironment environment)
    {
        var rooted = new SqliteConnectionStringBuilder(parsed.ConnectionString);
        if (!string.IsNullOrEmpty(rooted.DataSource) && rooted.DataSource != ":memory:" && rooted.Mode != SqliteOpenMode.Memory)
        {
            rooted.DataSource = environment.ResolvePath(rooted.DataSource);
        }

        return rooted.ConnectionString;
    }
}

internal sealed class DatabaseHealthCheck(NewsletterDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("reachable and migrated")
                : HealthCheckResult.Unhealthy($"{pending.Count} migrations not applied");
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}
