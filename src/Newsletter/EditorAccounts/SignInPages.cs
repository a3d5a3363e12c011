using Newsletter.Web;

namespace Newsletter.EditorAccounts;

/// <summary>
/// An editor's own sign-in: POST /admin/signin/mail asks for a link (the same page whether the
/// address is an editor's or not); GET /admin/signin/link?token= shows one button and changes
/// nothing (mail scanners open links); its POST uses the link and starts the session. The cookie
/// is SameSite=Strict, and a cookie set at the end of a redirect chain that began in a mail client is
/// not sent back: set by a POST from this site's own page, it is.
/// </summary>
public static class SignInPages
{
    public const string MailPath = "/admin/signin/mail";
    public const string LinkPath = "/admin/signin/link";
    private const string Template = "pages/editor-signin-link.html";

    public static IEndpointRouteBuilder MapSignInPages(this IEndpointRouteBuilder app)
    {
        app.MapPost(MailPath, AskAsync);
        app.MapGet(LinkPath, ShowAsync);
        app.MapPost(LinkPath, UseAsync);
        return app;
    }

    private static async Task<IResult> AskAsync(HttpContext http, SignInLinks links, CancellationToken ct)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        var email = EditorDirectory.Normalise(form?["email"].ToString(), out var error);
        if (email is null)
        {
            return EditorSignIn.Page(http, disabled: !http.RequestServices.GetRequiredService<AdminKey>().IsConfigured,
                error: $"Type your editor's address: {error}.", StatusCodes.Status400BadRequest);
        }

        await links.RequestAsync(email, ct);
        return Page(http, "sent", email, StatusCodes.Status200OK);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, SignInLinks links, string? token, CancellationToken ct) =>
        await links.IsUsableAsync(token, ct)
            ? Page(http, "ready", null, StatusCodes.Status200OK, LinkPath + "?token=" + Uri.EscapeDataString(token!))
            : Page(http, "failed", null, StatusCodes.Status404NotFound);

    private static async Task<IResult> UseAsync(HttpContext http, SignInLinks links, string? token, CancellationToken ct)
    {
        if (await links.UseAsync(token, ct) is not { } editor)
        {
            return Page(http, "failed", null, StatusCodes.Status404NotFound);
        }

        await EditorSignIn.SignInEditorAsync(http, editor.Email, editor.Name, ct);

        // 303: the browser follows with a GET; reloading the console does not post the link again.
        http.Response.Headers.Location = "/admin";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult Page(HttpContext http, string state, string? email, int status, string? action = null) =>
        http.RequestServices.GetRequiredService<PageRenderer>().Page(Template, "Editors: sign in", new
        {
            State = state,
            Email = email,
            Action = action,
            Minutes = (int)SignInLinks.Lifetime.TotalMinutes,
        }, status);
}
