using Newsletter.Data;
using Newsletter.Hosting;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSection<DeliveryOptions>(DeliveryOptions.Section);

        // The store behind the engine: lease and queue SQL for the configured database.
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Postgres
            ? ActivatorUtilities.CreateInstance<PostgresDeliveryStore>(sp) : ActivatorUtilities.CreateInstance<SqliteDeliveryStore>(sp));
        services.AddSingleton(sp => sp.GetRequiredService<IDeliveryStore>().Reads);

        // The engine and what it stands on: the issue's status, the runs, the rules, the mails.
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<DigestMails>();
        services.AddSingleton<SendRuns>();
        services.AddSingleton<IssueMaker>();
        services.AddSingleton<SendSlots>();
        services.AddSingleton<DeliveryEngine>();
        services.AddSingleton<IssueControl>();
        services.AddSingleton<Telemetry.IQueueDepth, QueueDepth>();
        services.AddScoped<Digests.IIssueDeliveries, IssueDeliveries>();
        services.AddScoped<Digests.ISubjectTestSample, SubjectTestSample>();
        services.AddScoped<DeliveryFigures>();

        // The reputation guard: paused recipient domains, the check that pauses them, the gauge.
        services.AddSection<DomainGuardOptions>(DomainGuardOptions.Section);
        services.AddSingleton<DomainPauses>();
        services.AddSingleton<DomainGuard>();
        services.AddSingleton<Inbound.IReportWatch, GuardedReports>();
        services.AddSingleton<Telemetry.IPausedDomainCount, PausedDomainCount>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryEngine>());

        // Readers who leave Confirmed (Subscribers tells) have their unsent mail skipped.
        services.AddSingleton<IReaderDepartures, UnsentDeliveries>();
        services.AddSingleton<IReaderHistory, ReaderHistory>();
        services.AddSingleton<Clicks.IIssueRecipients, IssueRecipients>();
        services.AddSingleton<IReaderErasure, ErasedReaderDeliveries>();
        services.AddSingleton<IReaderDataExport, ReaderDeliveriesExport>();
        services.AddSingleton<IReaderMerge, MergedReaderDeliveries>();
        return services;
    }

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app) => app.MapDigestsApi().MapDomainPausesApi();
}
