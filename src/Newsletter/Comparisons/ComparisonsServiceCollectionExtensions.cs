using Newsletter.Hosting;

namespace Newsletter.Comparisons;

public static class ComparisonsServiceCollectionExtensions
{
    public static IServiceCollection AddComparisons(this IServiceCollection services)
    {
        services.AddScoped<ComparisonStore>();
        services.AddScoped<ComparisonReads>();
        services.AddScoped<ComparisonFileImporter>();
        services.AddSection<FeedOptions>(FeedOptions.Section);
        services.AddHttpClient(nameof(FeedPoller), c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<FeedPoller>();
        return services;
    }
}
