using Microsoft.Extensions.DependencyInjection.Extensions;
using Newsletter.Hosting;
using Newsletter.Links;
using Newsletter.Subscribers;

namespace Newsletter.Clicks;

public static class ClicksServiceCollectionExtensions
{
    public static IServiceCollection AddClicks(this IServiceCollection services)
    {
        services.AddSection<TrackingOptions>(TrackingOptions.Section);
        services.TryAddSingleton<LinkKeys>();
        services.AddScoped<ClickRecorder>();
        services.AddSingleton<ClickTargets>();
        services.AddSingleton<ClickBuffer>();
        services.AddSingleton<ClickWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ClickWriter>());
        services.AddSingleton<ClickLimits>();
        services.AddScoped<IssueClicks>();
        services.AddSingleton<IReaderErasure, ErasedReaderClicks>();
        services.AddSingleton<IReaderMerge, MergedReaderClicks>();
        return services;
    }

    public static IEndpointRouteBuilder MapClicks(this IEndpointRouteBuilder app) => app.MapClickRedirect();
}
