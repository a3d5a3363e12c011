using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Newsletter.Web;

public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddSingleton<AdminAuth>();
        services.AddSingleton<PageRenderer>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>The admin API's route group: every route under it needs the admin key.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup("/api" + prefix).AddEndpointFilter<AdminOnlyFilter>();

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        return app;
    }
}
