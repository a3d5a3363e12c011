namespace Newsletter.Subscribers;

public static class SubscribersServiceCollectionExtensions
{
    public static IServiceCollection AddSubscribers(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSubscribers(this IEndpointRouteBuilder app) => app;
}
