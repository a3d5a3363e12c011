using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing.Patterns;
using Newsletter.Web;

namespace Newsletter.Audit;

/// <summary>
/// Records every change an editor makes through the admin API or the console, in one place for all
/// routes: after an editors' route answered a change (POST, PUT, DELETE; and the subscriber export,
/// a GET that hands out personal data) with success, it names the action by the route. Route values
/// that name a reader (an address) are never written; issue numbers, slugs and domains are.
/// </summary>
public sealed class AuditTrail(RequestDelegate next)
{
    /// <summary>Routes (method, pattern suffix) and what an editor did there. The first match wins.</summary>
    private static readonly (string Method, string Suffix, string Action)[] Actions =
    [
        ("POST", "/digests/send", "Sent the digest now"),
        ("POST", "/admin/send", "Sent the digest now"),
        ("POST", "/domains/{domain}/resume", "Resumed a paused domain"),
        ("POST", "/domains/{domain}/cancel", "Cancelled a paused domain's mail"),
        ("POST", "/paused/{domain}/resume", "Resumed a paused domain"),
        ("POST", "/paused/{domain}/cancel", "Cancelled a paused domain's mail"),
        ("POST", "/subject-test/winner", "Picked a subject test's winner"),
        ("POST", "/pause", "Paused an issue"),
        ("POST", "/resume", "Resumed an issue"),
        ("POST", "/preview", "Sent a preview"),
        ("PUT", "/digests/next/draft", "Saved the draft"),
        ("POST", "/draft", "Saved the draft"),
        ("PUT", "/comparisons/{slug}", "Saved a comparison"),
        ("POST", "/subscribers/import", "Imported subscribers"),
        ("GET", "/subscribers/export", "Exported subscribers"),
        ("DELETE", "/subscribers/{email}", "Erased a subscriber"),
    ];

    /// <summary>Route values that may appear in the log: none of them names a reader.</summary>
    private static readonly string[] Shown = ["number", "slug", "domain"];

    /// <summary>Routes whose feature records its own entries (it knows more than the route: whether an editor was added).</summary>
    private static readonly string[] OwnEntries = ["/api/editors", "/admin/editors", "/api/bounces"];

    public async Task InvokeAsync(HttpContext http, IAuditLog audit)
    {
        await next(http);

        if (http.Response.StatusCode >= 400 || http.GetEndpoint() is not RouteEndpoint endpoint
            || !endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Editors.Policy))
        {
            return;
        }

        var method = http.Request.Method.ToUpperInvariant();
        var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        if (OwnEntries.Any(p => pattern.StartsWith(p, StringComparison.Ordinal)))
        {
            return;
        }

        var action = Actions.FirstOrDefault(a => a.Method == method && Normal(pattern).EndsWith(a.Suffix, StringComparison.Ordinal)).Action;
        if (action is null)
        {
            if (method is "GET" or "HEAD" or "OPTIONS")
            {
                return;
            }

            action = $"{method} {pattern}";
        }

        var detail = string.Join(", ", Shown
            .Where(k => http.Request.RouteValues.TryGetValue(k, out var v) && v is not null)
            .Select(k => k == "number" ? $"issue #{http.Request.RouteValues[k]}" : $"{k} {http.Request.RouteValues[k]}"));
        await audit.RecordAsync(action, detail.Length == 0 ? null : detail, cancellationToken: CancellationToken.None);
    }

    /// <summary>The pattern without constraints ("{number:int}" → "{number}").</summary>
    private static string Normal(string pattern) =>
        string.Join("/", RoutePatternFactory.Parse(pattern).PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternLiteralPart literal => literal.Content,
            _ => "",
        })))).Insert(0, "/");
}
