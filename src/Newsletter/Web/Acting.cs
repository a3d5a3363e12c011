using System.Security.Claims;

namespace Newsletter.Web;

/// <summary>
/// The one place that says who is acting: the editor a session cookie names, "API key" for the
/// admin key (a script, or a browser signed in with the key), "command line" outside a request.
/// </summary>
public sealed class Acting(IHttpContextAccessor http)
{
    public const string ApiKey = "API key";
    public const string CommandLine = "command line";
    public const string Anonymous = "not signed in";

    /// <summary>The claim of a session opened from an editor's own sign-in link: their address.</summary>
    public const string EditorClaim = ClaimTypes.Email;

    public string Who => Of(http.HttpContext?.User, http.HttpContext is null);

    public static string Of(ClaimsPrincipal? user, bool outsideARequest = false)
    {
        if (user?.FindFirst(EditorClaim)?.Value is { Length: > 0 } editor)
        {
            return editor;
        }

        if (outsideARequest)
        {
            return CommandLine;
        }

        return user?.Identities.Any(i => i.IsAuthenticated) == true ? ApiKey : Anonymous;
    }
}
