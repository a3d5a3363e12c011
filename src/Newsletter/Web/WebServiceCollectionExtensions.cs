namespace Newsletter.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddSingleton<AdminAuth>();
        services.AddSingleton<PageRenderer>();
        services.AddProblemDetails();
        services.AddExceptionHandler<RequestFailureHandler>();
        services.AddHealthEndpoint();
        return services;
    }

    /// <summary>The admin API's route group: every route under it needs the admin key.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup("/api" + prefix).WithMetadata(new AdminOnlyMetadata());

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // After routing (so the endpoint is known), before the endpoint runs (so nothing is bound).
        app.UseMiddleware<AdminOnlyMiddleware>();
        app.MapHealthEndpoint();
        return app;
    }
}
