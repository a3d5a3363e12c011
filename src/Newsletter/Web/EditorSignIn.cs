using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Newsletter.Web;

/// <summary>
/// GET/POST /admin/signin and POST /admin/signout: a browser cannot send X-Api-Key, so the key is
/// typed once and the <see cref="Editors.CookieScheme"/> session starts. Any editors' page can send
/// a stranger here (its refusal renders this page with ?returnUrl= the page itself).
/// </summary>
/// <remarks>
/// The form is read by hand, with no antiforgery token: a forged sign-in needs the key itself, and
/// sign-out only ends a session (on the server too: <see cref="EditorSessions"/>). Changes made with the session are guarded by <see cref="EditorRequirement"/>.
/// </remarks>
public static class EditorSignIn
{
    public const string TooManyWrongKeys = "Too many wrong keys: wait a minute.";

    /// <summary>The claim that ties a session to the key it was opened with (<see cref="AdminKey.Fingerprint"/>).</summary>
    public const string KeyClaim = "newsletter:key";

    public static IEndpointRouteBuilder MapEditorSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(Editors.SignInPath, (HttpContext http, AdminKey key) =>
            Page(http, disabled: !key.IsConfigured, error: null, key.IsConfigured ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));
        app.MapPost(Editors.SignInPath, SignInAsync);
        app.MapPost(Editors.SignOutPath, async (HttpContext http, EditorSessions sessions, CancellationToken ct) =>
        {
            // Revoked on the server first: deleting the cookie alone would leave any copy of it working.
            var signedIn = await http.AuthenticateAsync(Editors.CookieScheme);
            await sessions.RevokeAsync(signedIn.Principal, ct);
            await http.SignOutAsync(Editors.CookieScheme);
            return TypedResults.Redirect("/admin");
        });
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, AdminKey key, EditorSessions sessions, CancellationToken ct)
    {
        if (!key.IsConfigured)
        {
            return Page(http, disabled: true, error: null, StatusCodes.Status503ServiceUnavailable);
        }

        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        var presented = form?["key"].ToString();
        var returnUrl = LocalPath(form?["returnUrl"].ToString());
        if (string.IsNullOrEmpty(presented))
        {
            return Page(http, disabled: false, error: "Type the admin key.", StatusCodes.Status401Unauthorized, returnUrl);
        }

        if (!key.IsValid(presented))
        {
            if (key.RecordWrongKey(http))
            {
                return Page(http, disabled: false, error: "That key is not the admin key.", StatusCodes.Status401Unauthorized, returnUrl);
            }

            // The wrong keys are counted per minute (Editors.WrongKeysPerMinute).
            http.Response.Headers.RetryAfter = "60";
            return Page(http, disabled: false, error: TooManyWrongKeys, StatusCodes.Status429TooManyRequests, returnUrl);
        }

        const string editor = "editor";
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, editor), new Claim(KeyClaim, key.Fingerprint()), await sessions.OpenAsync(editor, ct)], Editors.CookieScheme);
        await http.SignInAsync(Editors.CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        await http.RequestServices.GetRequiredService<IAuditLog>().RecordAsync("Signed in", "with the admin key", Acting.ApiKey, ct);

        // Post/redirect/get: reloading the page does not post the key again.
        return TypedResults.Redirect(returnUrl);
    }

    /// <summary>
    /// Opens an editor's own session (from their sign-in link): the cookie names them by address, and
    /// holds no key claim, so it outlives a new admin key and ends when the editor is removed.
    /// </summary>
    public static async Task SignInEditorAsync(HttpContext http, string address, string? name, CancellationToken ct)
    {
        var sessions = http.RequestServices.GetRequiredService<EditorSessions>();
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, string.IsNullOrEmpty(name) ? address : name), new Claim(Acting.EditorClaim, address), await sessions.OpenAsync(address, ct)],
            Editors.CookieScheme);
        await http.SignInAsync(Editors.CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        await http.RequestServices.GetRequiredService<IAuditLog>().RecordAsync("Signed in", "with a sign-in link", address, ct);
    }

    /// <summary>The sign-in page; it returns to <paramref name="returnUrl"/> (by default the page that was asked for).</summary>
    public static IResult Page(HttpContext http, bool disabled, string? error, int status, string? returnUrl = null) =>
        http.RequestServices.GetRequiredService<PageRenderer>().Page("pages/admin-signin.html", "Editors: sign in", new
        {
            Disabled = disabled,
            Error = error,
            ReturnUrl = returnUrl ?? LocalPath(HttpMethods.IsGet(http.Request.Method) && http.Request.Path != Editors.SignInPath
                ? http.Request.Path + http.Request.QueryString
                : http.Request.Query["returnUrl"].ToString()),
        }, status);

    /// <summary>
    /// Only a path on this site, by ASP.NET Core's IsLocalUrl rules (a single "/", then neither "/" nor
    /// "\", and no control character: a browser drops a tab and reads "/\t/host" as "//host"), and
    /// printable ASCII only (Kestrel refuses anything else in a Location header). Anything else goes
    /// to the console's home.
    /// </summary>
    private static string LocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && url.All(c => c is >= '!' and <= '~')
            ? url
            : "/admin";
}
