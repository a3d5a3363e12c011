using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;

namespace Newsletter.Web;

/// <summary>
/// The "editor" policy's one requirement: the admin key, or the session cookie, and with the cookie
/// an unsafe method (POST, PUT, DELETE …) only from this site's own origin. A browser attaches the
/// cookie to a form or fetch from a sibling subdomain too (SameSite is per site, not per origin),
/// and it always says where such a request comes from in Sec-Fetch-Site (or Origin); a script with
/// the key has no cookie to abuse, so the key path is unchanged.
/// </summary>
public class EditorRequirement : IAuthorizationRequirement
{
    /// <summary>A WWW-Authenticate challenge for a 401 (a route that callers reach with basic auth), or none.</summary>
    public virtual string? Challenge => null;
}

public sealed class EditorAuthorizationHandler(IOptionsMonitor<NewsletterOptions> options, ILogger<EditorAuthorizationHandler> logger)
    : AuthorizationHandler<EditorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EditorRequirement requirement)
    {
        var schemes = context.User.Identities.Where(i => i.IsAuthenticated).Select(i => i.AuthenticationType).ToList();
        if (schemes.Contains(Editors.ApiKeyScheme))
        {
            context.Succeed(requirement);
        }
        else if (schemes.Contains(Editors.CookieScheme) && context.Resource is HttpContext http)
        {
            if (IsSafe(http.Request.Method) || IsSameOrigin(http))
            {
                context.Succeed(requirement);
            }
            else
            {
                logger.LogWarning(
                    "Refused {Method} {Path} with the editors' cookie from origin {Origin} (Sec-Fetch-Site {FetchSite}); this site is {Own}",
                    http.Request.Method, http.Request.Path, http.Request.Headers.Origin.ToString(), http.Request.Headers["Sec-Fetch-Site"].ToString(), $"{http.Request.Scheme}://{http.Request.Host}");
                context.Fail(new AuthorizationFailureReason(this, "a cookie-authenticated change from another origin"));
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>
    /// Sec-Fetch-Site, which a page cannot forge, must say same-origin; a client that does not send it
    /// must name this request's own origin or Newsletter:PublicBaseUrl's in Origin. (A page with a
    /// no-referrer policy posts its forms with Origin "null", hence Sec-Fetch-Site first.)
    /// </summary>
    private bool IsSameOrigin(HttpContext http)
    {
        var fetchSite = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (!string.IsNullOrEmpty(fetchSite))
        {
            return fetchSite == "same-origin";
        }

        var origin = http.Request.Headers.Origin.ToString();
        var own = $"{http.Request.Scheme}://{http.Request.Host}";
        var publicOrigin = new Uri(options.CurrentValue.PublicBaseUrl).GetLeftPart(UriPartial.Authority);
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || string.Equals(origin, publicOrigin, StringComparison.OrdinalIgnoreCase);
    }
}
