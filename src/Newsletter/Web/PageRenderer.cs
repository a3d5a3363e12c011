using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Newsletter.Templates;

namespace Newsletter.Web;

/// <summary>
/// Renders the public and editors' pages: a page template from templates/pages/ placed inside
/// templates/pages/layout.html. Values are escaped like every HTML template's.
/// </summary>
public sealed class PageRenderer(TemplateLibrary templates, IOptions<NewsletterOptions> options)
{
    public const string Layout = "pages/layout.html";

    /// <summary>
    /// An HTML page; <paramref name="page"/> is a name like "pages/signup.html". A page with a feed
    /// names it (<paramref name="feedUrl"/>) in a &lt;link rel="alternate"&gt; for feed readers.
    /// </summary>
    public IResult Page(string page, string title, object model, int statusCode = StatusCodes.Status200OK, string? feedUrl = null)
    {
        var content = templates.Render(page, model);
        var html = templates.Render(Layout, new
        {
            Title = title,
            SiteName = options.Value.Name,
            Content = new RawHtml(content),
            FeedUrl = feedUrl,
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
