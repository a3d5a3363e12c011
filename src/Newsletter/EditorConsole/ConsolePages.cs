using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Newsletter.Templates;
using Newsletter.Web;
using Scriban.Runtime;

namespace Newsletter.EditorConsole;

/// <summary>The console's sections, in the order the navigation shows them.</summary>
public enum ConsoleSection
{
    Next,
    Issues,
    Subscribers,
    Comparisons,
    Setup,
    Editors,
    Audit,
    Api,
}

/// <summary>
/// Renders a console page: a template from templates/console/ inside templates/console/layout.html,
/// with the navigation marking the current section. Values are escaped like every HTML template's.
/// </summary>
/// <remarks>
/// Every page sees <c>csp_nonce</c>, the nonce its inline scripts need under the console's content
/// security policy (<see cref="SecurityHeaders"/>).
/// </remarks>
public sealed class ConsolePages(TemplateLibrary templates, IOptions<NewsletterOptions> options, IHttpContextAccessor http)
{
    private static readonly (ConsoleSection Section, string Label, string Href)[] Navigation =
    [
        (ConsoleSection.Next, "Next digest", "/admin"),
        (ConsoleSection.Issues, "Issues", "/admin/issues"),
        (ConsoleSection.Subscribers, "Subscribers", "/admin/subscribers"),
        (ConsoleSection.Comparisons, "Comparisons", "/admin/comparisons"),
        (ConsoleSection.Setup, "Sending setup", "/admin/setup"),
        (ConsoleSection.Editors, "Editors", "/admin/editors"),
        (ConsoleSection.Audit, "Audit log", "/admin/audit"),
        (ConsoleSection.Api, "API", "/admin/api"),
    ];

    public IResult Page(ConsoleSection section, string page, string title, object model, int statusCode = StatusCodes.Status200OK)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: TemplateLibrary.MemberRenamer);
        globals["csp_nonce"] = SecurityHeaders.Nonce(http.HttpContext);
        var content = templates.Render("console/" + page, globals);
        var html = templates.Render("console/layout.html", new
        {
            Title = title,
            SiteName = options.Value.Name,
            Nav = Navigation.Select(n => new { n.Label, n.Href, Current = n.Section == section }).ToList(),
            Content = new RawHtml(content),
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
