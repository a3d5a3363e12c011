using Newsletter.Hosting;

namespace Newsletter.Comparisons;

public static class ComparisonsServiceCollectionExtensions
{
    public static IServiceCollection AddComparisons(this IServiceCollection services)
    {
        services.AddScoped<ComparisonStore>();
        services.AddScoped<ComparisonFileImporter>();
        services.AddSection<FeedOptions>(FeedOptions.Section);
        return services;
    }
}
