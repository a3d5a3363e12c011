using Newsletter.Hosting;

namespace Newsletter.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSection<DeliveryOptions>(DeliveryOptions.Section);

        // The engine and what it stands on: the queue in SQL, the issue's status, the messengers.
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<IssueLifecycle>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<IMessengerFactory, MessengerFactory>();
        services.AddSingleton<IssueMaker>();
        services.AddSingleton<SendSlots>();
        services.AddSingleton<DeliveryEngine>();
        services.AddSingleton<IssueControl>();
        services.AddSingleton<Telemetry.IQueueDepth, QueueDepth>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryEngine>());
        return services;
    }

    public static IEndpointRouteBuilder MapDelivery(this IEndpointRouteBuilder app) => app.MapDeliveryApi().MapIssueControlApi();
}
