using Newsletter.Web;

namespace Newsletter.EditorConsole;

/// <summary>
/// The console's sign-in check, the same rule as /admin's until ASP.NET Core authentication lands:
/// 503 with the sign-in page saying why when no admin key is configured, 401 with the sign-in form
/// without a valid session cookie (or X-Api-Key). The form posts to /admin/signin (AdminPage).
/// </summary>
/// <remarks>
/// CSRF: the console's forms are read by hand (no [FromForm] binding, so no antiforgery token),
/// exactly as /admin's preview form. The session cookie is SameSite=Strict: a form posted here from
/// another site arrives without it and meets this gate's 401.
/// </remarks>
public sealed class ConsoleGate(AdminAuth auth, Web.PageRenderer pages) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        !auth.IsConfigured ? SignIn(disabled: true, StatusCodes.Status503ServiceUnavailable)
        : !auth.IsEditor(context.HttpContext) ? SignIn(disabled: false, StatusCodes.Status401Unauthorized)
        : await next(context);

    private IResult SignIn(bool disabled, int status) =>
        pages.Page("pages/admin-signin.html", "Editors: sign in", new { Disabled = disabled, Error = (string?)null }, status);
}
