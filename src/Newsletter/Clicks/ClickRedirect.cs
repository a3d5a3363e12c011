using Microsoft.Extensions.Options;

namespace Newsletter.Clicks;

/// <summary>
/// GET /r/{token}: counts a reader's click and redirects (302) to the target stored for the issue.
/// Answered from memory: the token is checked with the cached keys, the target read from
/// <see cref="ClickTargets"/>, and the click queued for <see cref="ClickWriter"/>, so a scanner storm
/// never makes a reader wait on a database write. HEAD gets the same redirect and counts nothing,
/// and so does a GET over <see cref="ClickLimits"/>. A token this server did not make gets 404,
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
        string token, HttpContext http, ClickTargets targets, ClickLimits limits, ClickBuffer queue, TimeProvider clock,
        IOptions<TrackingOptions> options, CancellationToken ct)
    {
        var target = await targets.ResolveAsync(token, ct);
        if (target is null)
        {
            return TypedResults.NotFound();
        }

        if (options.Value.Clicks && HttpMethods.IsGet(http.Request.Method) && !ScannerRule.IsScannerAgent(http.Request.Headers.UserAgent)
            && limits.TryRecord(http.Connection.RemoteIpAddress?.ToString(), target.UnsubscribeToken))
        {
            var click = new PendingClick(target.LinkId, target.IssueId, target.UnsubscribeToken, clock.GetUtcNow());
            if (!await queue.TryEnqueueAsync(click, ct))
            {
                // The writer has stopped (the host is stopping): this one is written here.
                await http.RequestServices.GetRequiredService<ClickRecorder>().RecordAsync([click], ct);
            }
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Redirect(target.Url);
    }
}
