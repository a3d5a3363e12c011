using Newsletter.Hosting;
using Newsletter.Inbound.Webhooks;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

/// <summary>
/// What comes back: the bounce mailbox check (a Quartz job when Inbound:Host is set), the actions on
/// bounces, complaints and unsubscribe mails, the provider webhook, and the mailbox's health entry.
/// Registered before AddScheduling, so the trigger is in place when the scheduler starts.
/// </summary>
public static class InboundServiceCollectionExtensions
{
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        services.AddSection<InboundOptions>(InboundOptions.Section);
        services.AddSingleton<InboundClassifier>();
        services.AddSingleton<InboundStatus>();
        services.AddSingleton<InboundMailbox>();
        services.AddScoped<BounceActions>();
        services.AddScoped<IssueReports>();
        services.AddSingleton<IReaderErasure, ErasedReaderReports>();
        services.AddSingleton<IReaderMerge, MergedReaderReports>();
        services.AddWebhookAccess();
        services.AddHttpClient(Webhooks.SnsVerifier.ClientName, c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<Webhooks.SnsVerifier>();
        services.AddSingleton<Webhooks.MailgunSignature>();
        services.AddScoped<Webhooks.ProviderWebhooks>();
        services.AddTransient<InboundJob>();
        services.AddHostedService<InboundScheduleRegistrar>();
        services.AddHealthChecks().AddCheck<InboundHealthCheck>("inbound");
        return services;
    }

    public static IEndpointRouteBuilder MapInbound(this IEndpointRouteBuilder app) => app.MapBouncesApi();
}
