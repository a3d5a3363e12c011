using Newsletter.Hosting;
using Newsletter.Inbound;

namespace Newsletter.SendingSetup;

/// <summary>
/// The sending setup: the DNS records the configuration needs and what DNS answers (`doctor`, the
/// console's page, GET /api/setup), the alignment warnings at start, and the DMARC aggregate reports
/// read from the bounce mailbox.
/// </summary>
public static class SendingSetupServiceCollectionExtensions
{
    public static IServiceCollection AddSendingSetup(this IServiceCollection services)
    {
        services.AddSection<DnsOptions>(DnsOptions.Section);
        services.AddSection<SendingSetupOptions>(SendingSetupOptions.Section);
        services.AddSingleton<SendingPlan>();
        services.AddSingleton<DnsLookup>();
        services.AddScoped<SetupCheck>();
        services.AddScoped<DmarcReportTotals>();
        services.AddHostedService<AlignmentAtStart>();
        services.AddScoped<IInboundReportReader, DmarcReportReader>();
        return services;
    }

    public static IEndpointRouteBuilder MapSendingSetup(this IEndpointRouteBuilder app) => app.MapSetupApi();
}
