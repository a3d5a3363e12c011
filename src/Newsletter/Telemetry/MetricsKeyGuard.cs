using Newsletter.Web;

namespace Newsletter.Telemetry;

/// <summary>Marks the scrape endpoint: <see cref="MetricsKeyGuard"/> lets only the admin key through.</summary>
public sealed class MetricsKeyRequired;

/// <summary>
/// The admin key as X-Api-Key or as a bearer token, compared by <see cref="AdminAuth.IsValidKey"/>
/// (constant time), with the same lockout after too many wrong keys. The scrape endpoint is a plain
/// request pipeline, not a route handler, so an endpoint filter would not run on it.
/// </summary>
public sealed class MetricsKeyGuard(RequestDelegate next, AdminAuth auth)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<MetricsKeyRequired>() is null)
        {
            await next(http);
            return;
        }

        var key = http.Request.Headers[AdminAuth.HeaderName].ToString();
        var authorization = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(key) && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }

        var refusal =
            !auth.IsConfigured ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Metrics are disabled", detail: "Set Newsletter:AdminApiKey to enable them.")
            : auth.IsLockedOut(http) ? TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many wrong keys", detail: "Wait a minute before trying again.")
            : auth.IsValidKey(key) ? null
            : Unauthorized(http);
        if (refusal is null)
        {
            await next(http);
            return;
        }

        await refusal.ExecuteAsync(http);
    }

    private Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unauthorized(HttpContext http)
    {
        auth.RecordFailure(http);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: $"Send the admin key as {AdminAuth.HeaderName} or as Authorization: Bearer.");
    }
}
