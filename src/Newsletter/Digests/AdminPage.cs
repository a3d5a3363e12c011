using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>
/// GET /admin: the editors' page in a browser. A browser cannot send X-Api-Key, so the key is typed
/// once (POST /admin/signin) and <see cref="AdminAuth.SignIn"/> sets the HttpOnly, SameSite=Strict
/// (and over https Secure) session cookie that the admin API accepts too; the page then shows what
/// the next digest carries, the preview, and a "send me a preview" form.
/// </summary>
/// <remarks>
/// Forms are read by hand (no [FromForm] binding, hence no antiforgery token). Why that is safe:
/// the session cookie is SameSite=Strict, so a form posted to /admin/preview from another site
/// arrives without it and gets 401; sign-in needs the key itself, which a forging site does not
/// have. Nothing here changes state either: a preview only sends mail to the addresses given.
/// </remarks>
public static class AdminPage
{
    public static IEndpointRouteBuilder MapAdminPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin", ShowAsync);
        app.MapPost("/admin/signin", SignInAsync);
        app.MapPost("/admin/preview", SendPreviewAsync);
        app.MapPost("/admin/signout", SignOut);
        return app;
    }

    private static async Task<IResult> ShowAsync(
        HttpContext http, AdminAuth auth, PageRenderer pages, DigestAssembler assembler,
        IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, string? sent, CancellationToken ct)
    {
        if (Gate(http, auth, pages) is { } refused)
        {
            return refused;
        }

        var message = string.IsNullOrEmpty(sent) ? null : $"Preview sent to {sent}.";
        return await PageAsync(pages, assembler, digest.Value, newsletter.Value, message, error: null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, AdminAuth auth, PageRenderer pages, CancellationToken ct)
    {
        if (!auth.IsConfigured)
        {
            return SignInPage(pages, disabled: true, error: null, StatusCodes.Status503ServiceUnavailable);
        }

        if (auth.IsLockedOut(http))
        {
            return SignInPage(pages, disabled: false, error: "Too many wrong keys: wait a minute.", StatusCodes.Status429TooManyRequests);
        }

        var key = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct))["key"].ToString() : null;
        if (!auth.IsValidKey(key))
        {
            auth.RecordFailure(http);
            return SignInPage(pages, disabled: false, error: "That key is not the admin key.", StatusCodes.Status401Unauthorized);
        }

        auth.SignIn(http);
        return TypedResults.Redirect("/admin");
    }

    private static async Task<IResult> SendPreviewAsync(
        HttpContext http, AdminAuth auth, PageRenderer pages, DigestAssembler assembler, DigestPreviewer previewer,
        IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        if (Gate(http, auth, pages) is { } refused)
        {
            return refused;
        }

        var field = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct))["to"].ToString() : "";
        var to = field.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var recipients = previewer.Recipients(to);
        if (!recipients.IsValid)
        {
            var error = string.Join(" ", recipients.Errors.Select(e => $"{(e.Key.StartsWith("to[", StringComparison.Ordinal) ? "Address " + (int.Parse(e.Key[3..^1], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture) : "The address field")} {string.Join(", ", e.Value)}."));
            return await PageAsync(pages, assembler, digest.Value, newsletter.Value, message: null, error, StatusCodes.Status400BadRequest, ct);
        }

        try
        {
            await previewer.SendAsync(recipients.Addresses, ct);
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
        {
            return await PageAsync(pages, assembler, digest.Value, newsletter.Value, message: null, "The preview could not be sent: " + e.Message, StatusCodes.Status502BadGateway, ct);
        }

        // Post/redirect/get: reloading the page does not send the preview again.
        return TypedResults.Redirect("/admin?sent=" + Uri.EscapeDataString(string.Join(", ", recipients.Addresses.Select(a => a.Address))));
    }

    private static RedirectHttpResult SignOut(HttpContext http)
    {
        http.Response.Cookies.Delete(AdminAuth.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
        return TypedResults.Redirect("/admin");
    }

    /// <summary>The sign-in page unless the browser holds a valid session (or sends the key header).</summary>
    private static IResult? Gate(HttpContext http, AdminAuth auth, PageRenderer pages) =>
        !auth.IsConfigured ? SignInPage(pages, disabled: true, error: null, StatusCodes.Status503ServiceUnavailable)
        : !auth.IsEditor(http) ? SignInPage(pages, disabled: false, error: null, StatusCodes.Status401Unauthorized)
        : null;

    private static IResult SignInPage(PageRenderer pages, bool disabled, string? error, int status) =>
        pages.Page("pages/admin-signin.html", "Editors: sign in", new { Disabled = disabled, Error = error }, status);

    private static async Task<IResult> PageAsync(
        PageRenderer pages, DigestAssembler assembler, DigestOptions digest, NewsletterOptions newsletter,
        string? message, string? error, int status, CancellationToken ct)
    {
        var plan = await assembler.PlanAsync(ct);
        return pages.Page("pages/admin.html", "Editors: next digest", new
        {
            plan.Number,
            plan.Subject,
            plan.IsEmpty,
            plan.WouldSend,
            plan.Waiting,
            digest.MaxComparisons,
            Comparisons = plan.Comparisons.Select(c => new
            {
                c.Title,
                c.Url,
                PublishedText = c.PublishedAt.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture),
            }).ToList(),
            Editors = string.Join(", ", newsletter.Editors),
            Message = message,
            Error = error,
        }, status);
    }
}
