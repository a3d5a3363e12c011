using Newsletter.Hosting;

namespace Newsletter.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSection<SmtpOptions>(SmtpOptions.Section);
        services.AddSection<DkimOptions>(DkimOptions.Section);
        return services;
    }

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app) => app;
}
