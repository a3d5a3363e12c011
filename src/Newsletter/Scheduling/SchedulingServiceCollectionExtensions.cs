using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Npgsql;
using Quartz;

namespace Newsletter.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz on a persistent store in the newsletter's own database (SQLite file, or PostgreSQL with
    /// clustering; its tables come with the migrations), the weekly digest trigger, the comparison
    /// feed's poll, and the scheduler's health check. Registered after
    /// AddData, so the database is migrated before the scheduler starts.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services)
    {
        var database = DatabaseOptions.Read(services);
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    // The same database EF Core uses. Every instance on it is a node of one cluster
                    // (its own instance id, generated): a trigger fires on one node only, and a dead
                    // node's fires are recovered by the others.
                    store.UsePostgres(source => source.DataSourceFactory = sp => NpgsqlDataSource.Create(ConnectionString(sp)));
                    store.UseClustering();
                }
                else
                {
                    // The same file EF Core uses, resolved the same way (relative to the data root).
                    store.UseSqlite(source => source.DataSourceFactory = sp => SqliteFactory.Instance.CreateDataSource(ConnectionString(sp)));
                }

                store.UseSystemTextJsonSerializer();

                // A fire more than this late counts as missed, and the trigger's misfire instruction
                // (fire once now) applies: a worker that was down at 9:00 sends when it is back.
                store.ConfigureStore(o => o.MisfireThreshold = TimeSpan.FromSeconds(5));
            });
        });

        // Before the Quartz hosted service: the trigger is in place when the scheduler starts, and a
        // fire missed while the worker was down is caught up then.
        services.AddHostedService<DigestScheduleRegistrar>();
        services.AddHostedService<FeedScheduleRegistrar>();
        services.AddHostedService<PreviewScheduleRegistrar>();
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;

            // Start with the host rather than after it: /health says "running" once the host is up.
            o.AwaitApplicationStarted = false;
        });
        BoundedSchedulerStop.Wrap(services);
        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler");
        return services;
    }

    private static string ConnectionString(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Database.GetConnectionString()!;
    }
}
