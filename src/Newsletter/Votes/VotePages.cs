using Newsletter.Web;

namespace Newsletter.Votes;

/// <summary>
/// GET /vote shows the link's choice pre-selected and one button, and counts nothing: mail link
/// scanners (Outlook Safe Links and others) open every link of a mail. POST /vote counts. The token
/// in the query is the only credential, so the form carries no antiforgery token (a forging site
/// would need the reader's token, which only their mail holds).
/// </summary>
public static class VotePages
{
    public const string VotePolicy = "vote";

    public static IEndpointRouteBuilder MapVotePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/vote", ShowAsync);
        app.MapPost("/vote", RecordAsync).DisableAntiforgery().RequireRateLimiting(VotePolicy);
        return app;
    }

    private static async Task<IResult> ShowAsync(string? token, Voting voting, PageRenderer pages, HttpResponse response, CancellationToken ct)
    {
        var target = await voting.FindAsync(token, ct);
        response.Headers.CacheControl = "no-store";
        return target.Outcome != VoteOutcome.Ready
            ? Failed(pages, target)
            : pages.Page("pages/vote.html", "Your verdict on " + target.Tool, new
            {
                target.Tool,
                target.ComparisonTitle,
                target.ComparisonUrl,
                target.Ship,
                Token = token,
            });
    }

    private static async Task<IResult> RecordAsync(string? token, HttpContext http, Voting voting, PageRenderer pages, CancellationToken ct)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : FormCollection.Empty;
        bool? ship = form["choice"].ToString() switch
        {
            "ship" => true,
            "skip" => false,
            _ => null,
        };
        var target = await voting.RecordAsync(token, ship, ct);
        http.Response.Headers.CacheControl = "no-store";
        if (target.Outcome != VoteOutcome.Ready)
        {
            return Failed(pages, target);
        }

        var tally = target.Tally ?? VoteTally.None;
        return pages.Page("pages/vote-recorded.html", "Vote recorded", new
        {
            target.Tool,
            target.ComparisonUrl,
            target.Ship,
            SplitText = tally.Text,
            ShipVotes = tally.Ship,
            SkipVotes = tally.Skip,
        });
    }

    private static IResult Failed(PageRenderer pages, VoteTarget target) => target.Outcome == VoteOutcome.NotSubscribed
        ? pages.Page("pages/vote-failed.html", "Only subscribers can vote", new { NotSubscribed = true }, StatusCodes.Status403Forbidden)
        : pages.Page("pages/vote-failed.html", "This link is not valid", new { NotSubscribed = false }, StatusCodes.Status404NotFound);
}
