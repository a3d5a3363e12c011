using Newsletter.Hosting;

namespace Newsletter.Digests;

public static class DigestsServiceCollectionExtensions
{
    public static IServiceCollection AddDigests(this IServiceCollection services)
    {
        services.AddSection<DigestOptions>(DigestOptions.Section);
        services.AddScoped<DigestAssembler>();
        return services;
    }

    public static IEndpointRouteBuilder MapDigests(this IEndpointRouteBuilder app) => app;
}
