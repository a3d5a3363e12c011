using Newsletter.Web;

namespace Newsletter.SendingSetup;

/// <summary>GET /api/setup: the same report as `doctor` and the console's setup page, as JSON.</summary>
public static class SetupApi
{
    public static IEndpointRouteBuilder MapSetupApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminApi("/setup").MapGet("/", async (SetupCheck check, CancellationToken ct) => TypedResults.Ok(await check.CheckAsync(ct)));
        return app;
    }
}
