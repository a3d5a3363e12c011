using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Newsletter.Web;

/// <summary>
/// How the "editor" policy says no, before anything is read or bound: 503 when no admin key is
/// configured (and the log says why), 429 once an address sent too many wrong keys, 403 for a
/// cookie-authenticated change from another origin, else 401. The API answers problem details; a
/// page (/admin …) answers the sign-in page, which returns to that page after sign-in.
/// </summary>
public sealed class EditorRefusals(AdminKey key, ILogger<EditorRefusals> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var http = context;
        var result = authorizeResult;
        if (result.Succeeded || !policy.Requirements.OfType<EditorRequirement>().Any())
        {
            await _default.HandleAsync(next, http, policy, result);
            return;
        }

        var page = !http.Request.Path.StartsWithSegments("/api");

        // A route with a key of its own (the bounce webhook) stays open to that key with the admin API off.
        var challenge = policy.Requirements.OfType<EditorRequirement>().Select(r => r.Challenge).FirstOrDefault(c => c is not null);
        IResult refusal;
        if (!key.IsConfigured && challenge is null)
        {
            logger.LogWarning("Admin request to {Path} refused: Newsletter:AdminApiKey is not set", http.Request.Path);
            refusal = page
                ? EditorSignIn.Page(http, disabled: true, error: null, StatusCodes.Status503ServiceUnavailable)
                : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The admin API is disabled", detail: "Set Newsletter:AdminApiKey to enable it.");
        }
        else if (AdminKey.IsLockedOut(http))
        {
            http.Response.Headers.RetryAfter = "60";
            refusal = page
                ? EditorSignIn.Page(http, disabled: false, error: EditorSignIn.TooManyWrongKeys, StatusCodes.Status429TooManyRequests)
                : TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong keys", detail: "Wait a minute before trying again.");
        }
        else if (result.Forbidden)
        {
            refusal = TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Cross-origin request refused",
                detail: "A change made with the editors' session cookie must come from this site's own pages; scripts send the admin key instead.");
        }
        else
        {
            if (challenge is not null)
            {
                http.Response.Headers.WWWAuthenticate = challenge;
            }

            refusal = page
                ? EditorSignIn.Page(http, disabled: false, error: null, StatusCodes.Status401Unauthorized)
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"Send the admin key in the {Editors.HeaderName} header.");
        }

        await refusal.ExecuteAsync(http);
    }
}
