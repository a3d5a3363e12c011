using Newsletter.ApiDocs;
using Newsletter.Web;

namespace Newsletter.EditorConsole;

/// <summary>The editors' console: server-rendered pages under /admin, one route group behind the editor sign-in.</summary>
public static class EditorConsoleServiceCollectionExtensions
{
    public static IServiceCollection AddEditorConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsolePages>();
        services.AddScoped<IssueStats>();
        services.AddScoped<SubscriberStats>();
        return services;
    }

    public static IEndpointRouteBuilder MapEditorConsole(this IEndpointRouteBuilder app)
    {
        // The editor policy: a stranger gets the sign-in page (401), which returns to the page asked for;
        // a form posted with the session cookie from another origin gets 403 (EditorRequirement).
        var console = app.MapGroup("/admin").ExcludeFromDescription().RequireEditor().WithPageKind(PageKind.Console);

        NextDigestPage.Map(console);
        IssuesPage.Map(console);
        SubscribersPage.Map(console);
        ComparisonsPage.Map(console);
        SetupPage.Map(console);
        EditorsPage.Map(console);
        AuditPage.Map(console);
        console.MapGet("/api", (ConsolePages pages) => pages.Page(ConsoleSection.Api, "api.html", "Admin API", new { Document = ApiDocsServiceCollectionExtensions.DocumentPath }));
        console.MapApiReference("/api/reference").WithPageKind(PageKind.ApiReference);
        return app;
    }
}
