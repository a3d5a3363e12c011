namespace Newsletter.Web;

/// <summary>
/// Who may use the admin API and the editors' pages, by name: the "editor" policy over two
/// schemes, the admin key (X-Api-Key or Authorization: Bearer) and the browser session cookie that
/// GET/POST /admin/signin sets. A route or a page requires it with <see cref="RequireEditor"/>.
/// </summary>
public static class Editors
{
    public const string Policy = "editor";

    /// <summary>The admin key in a header: scripts, CI, Prometheus.</summary>
    public const string ApiKeyScheme = "AdminKey";

    /// <summary>The session cookie a browser gets after typing the key once.</summary>
    public const string CookieScheme = "EditorSession";

    public const string HeaderName = "X-Api-Key";
    public const string CookieName = "newsletter_admin";

    /// <summary>The sign-in page; it takes ?returnUrl=/admin/… (a local path) to go back to.</summary>
    public const string SignInPath = "/admin/signin";
    public const string SignOutPath = "/admin/signout";

    /// <summary>How long a browser stays signed in (absolute, not sliding): the server checks it.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(30);

    /// <summary>Wrong keys per client address per minute before further wrong keys get 429.</summary>
    public const int WrongKeysPerMinute = 10;

    public static TBuilder RequireEditor<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.RequireAuthorization(Policy);
}
