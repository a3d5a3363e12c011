using Microsoft.Extensions.Options;

namespace Newsletter.Clicks;

/// <summary>
/// GET /r/{token}: counts a reader's click and redirects (302) to the target stored for the issue.
/// HEAD gets the same redirect and counts nothing, and so does a GET over
/// <see cref="ClickLimits"/>. A token this server did not make gets 404,
/// never a redirect. The reader part of the path lets whoever holds it vote as the reader, so the
/// redirect sends no Referer to the target.
/// </summary>
public static class ClickRedirect
{
    public static IEndpointRouteBuilder MapClickRedirect(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/r/{token}", [HttpMethods.Get, HttpMethods.Head], RedirectAsync);
        return app;
    }

    private static async Task<IResult> RedirectAsync(
        string token, HttpContext http, ClickRecorder recorder, ClickLimits limits, IOptions<TrackingOptions> options, CancellationToken ct)
    {
        var target = await recorder.FindAsync(token, ct);
        if (target is null)
        {
            return TypedResults.NotFound();
        }

        if (options.Value.Clicks && HttpMethods.IsGet(http.Request.Method) && !ScannerRule.IsScannerAgent(http.Request.Headers.UserAgent)
            && limits.TryRecord(http.Connection.RemoteIpAddress?.ToString(), target.UnsubscribeToken))
        {
            await recorder.RecordAsync(target, ct);
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Redirect(target.Url);
    }
}
