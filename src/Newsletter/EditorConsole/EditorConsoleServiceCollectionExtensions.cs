using Newsletter.ApiDocs;

namespace Newsletter.EditorConsole;

/// <summary>The editors' console: server-rendered pages under /admin, one route group, one gate.</summary>
public static class EditorConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddEditorConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsolePages>();
        services.AddSingleton<ConsoleGate>();
        services.AddScoped<IssueStats>();
        services.AddScoped<SubscriberStats>();
        return services;
    }

    public static IEndpointRouteBuilder MapEditorConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/admin").ExcludeFromDescription()
            .AddEndpointFilter<ConsoleGate>(); // MERGE(hosting): replace this line's filter with .RequireAuthorization("editor").

        NextDigestPage.Map(console);
        IssuesPage.Map(console);
        SubscribersPage.Map(console);
        ComparisonsPage.Map(console);
        console.MapGet("/api", (ConsolePages pages) => pages.Page(ConsoleSection.Api, "api.html", "Admin API", new { Document = ApiDocsServiceCollectionExtensions.DocumentPath }));
        console.MapApiReference("/api/reference");
        return app;
    }
}
