using System.Security.Cryptography;

namespace Newsletter.Web;

/// <summary>The kinds of page the product serves; each gets the content security policy it can live with.</summary>
public enum PageKind
{
    /// <summary>Public pages, JSON, redirects, errors: no script at all, styles only inline (the layout's own).</summary>
    Page,

    /// <summary>Mail HTML shown on the web (the archive): inline styles, images from anywhere, no script, never framed.</summary>
    MailHtml,

    /// <summary>The same mail HTML in the editors' preview, which the console may frame (frame-ancestors 'self').</summary>
    MailPreview,

    /// <summary>The editors' console: its own inline scripts, allowed by a per-response nonce, and fetches to this site.</summary>
    Console,

    /// <summary>The interactive API reference (Scalar): its scripts and styles are served by this site.</summary>
    ApiReference,
}

/// <summary>
/// One place for the security headers of every response: <c>Content-Security-Policy</c> by the
/// endpoint's <see cref="PageKind"/> (<see cref="PageKind.Page"/> unless a route says otherwise, so a
/// new page is covered), <c>X-Frame-Options</c> to match its <c>frame-ancestors</c> (older browsers),
/// <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c>. Framing is refused
/// everywhere but the preview, because a framed console can be clicked into sending an issue.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "newsletter:csp-nonce";

    /// <summary>The policy of each kind (the console's names this response's nonce).</summary>
    private static string Policy(PageKind kind, string? nonce) => kind switch
    {
        PageKind.MailHtml =>
            "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        PageKind.MailPreview =>
            "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        PageKind.Console =>
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        PageKind.ApiReference =>
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
            "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        _ => "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    };

    /// <summary>Marks a route (or a group) as serving pages of <paramref name="kind"/>.</summary>
    public static TBuilder WithPageKind<TBuilder>(this TBuilder builder, PageKind kind) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PageKindMetadata(kind));

    /// <summary>The nonce the console's inline scripts carry in this response (empty outside the console).</summary>
    public static string Nonce(HttpContext? http) =>
        http?.Items.TryGetValue(NonceKey, out var nonce) == true ? (string)nonce! : "";

    /// <summary>Runs after routing (the endpoint is known) and before anything can write the response.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // The last marking wins: a route's own kind over its group's.
        var kind = http.GetEndpoint()?.Metadata.GetMetadata<PageKindMetadata>()?.Kind ?? PageKind.Page;
        string? nonce = null;
        if (kind == PageKind.Console)
        {
            nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            http.Items[NonceKey] = nonce;
        }

        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = Policy(kind, nonce);
            headers.XFrameOptions = kind == PageKind.MailPreview ? "SAMEORIGIN" : "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(http);
    });

    private sealed record PageKindMetadata(PageKind Kind);
}
