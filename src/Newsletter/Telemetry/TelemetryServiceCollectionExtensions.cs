using System.Diagnostics.Metrics;
using Newsletter.Web;
using OpenTelemetry.Metrics;

namespace Newsletter.Telemetry;

/// <summary>OpenTelemetry metrics: the "Newsletter" meter, ASP.NET Core's HTTP series and the runtime's, on GET /metrics.</summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(NewsletterMetrics.MeterName)
            .AddMeter("System.Runtime")
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) => metrics.AddView(OnlyThisHost(sp.GetRequiredService<IMeterFactory>())));

        // The gauge reads the database through Delivery; one per host, on a meter the host's factory owns.
        services.AddSingleton(sp =>
        {
            var meter = sp.GetRequiredService<IMeterFactory>().Create(NewsletterMetrics.MeterName);
            return NewsletterMetrics.ObserveQueueDepth(meter, sp.GetRequiredService<IQueueDepth>());
        });
        services.AddHostedService<QueueDepthRegistration>();
        services.AddHostedService(sp => new PausedDomainsRegistration(NewsletterMetrics.ObservePausedDomains(
            sp.GetRequiredService<IMeterFactory>().Create(NewsletterMetrics.MeterName), sp.GetRequiredService<IPausedDomainCount>())));
        return services;
    }

    /// <summary>
    /// Drops instruments made by another host's meter factory. Several hosts can share a process (the
    /// tests run many): OpenTelemetry matches meters by name only, so it would merge their gauges of
    /// the same name into this host's stream, and drop that stream when the other host stops.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory ours) =>
        instrument => instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, ours) ? MetricStreamConfiguration.Drop : null;

    /// <summary>
    /// GET /metrics in Prometheus text. Behind the admin key, as X-Api-Key or Authorization: Bearer:
    /// a scraper cannot sign in with a cookie.
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireEditor();
        return app;
    }

    /// <summary>Creates the gauge when the host starts (singletons are otherwise made on first use).</summary>
    private sealed class QueueDepthRegistration(ObservableGauge<long> gauge) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(gauge);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Holds the paused-domains gauge from the host's start.</summary>
    private sealed class PausedDomainsRegistration(ObservableGauge<long> gauge) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(gauge);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
