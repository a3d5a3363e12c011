using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Digests;
using Newsletter.Web;

namespace Newsletter.Delivery;

/// <summary>
/// The /api/digests routes that act on a send: send the current period's issue, pause and resume
/// one. Reading the issues is Digests' (<see cref="IssuesApi"/>, the send's figures through
/// <see cref="IssueDeliveries"/>), as are the next digest and its preview (<see cref="NextDigestApi"/>),
/// under the same prefix (Digests never calls Delivery).
/// </summary>
public static class DigestsApi
{
    public static IEndpointRouteBuilder MapDigestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapPost("/send", SendAsync);
        group.MapPost("/{number:int}/pause", PauseAsync);
        group.MapPost("/{number:int}/resume", ResumeAsync);
        group.MapPost("/{number:int}/subject-test/winner", PickWinnerAsync);
        return app;
    }

    /// <summary>
    /// An editor picks a subject test's winner before the wait ends ({"winner": "A"} or "B"): 200 with
    /// the test's figures; 404 for no such issue or no test; 409 when a winner was named already.
    /// </summary>
    private static async Task<Results<Ok<SubjectTestView>, NotFound, ValidationProblem, ProblemHttpResult>> PickWinnerAsync(
        int number, WinnerPick pick, IssueControl control, Acting acting, SubjectTests tests, IssueLifecycle lifecycle, CancellationToken ct)
    {
        var winner = pick.Winner?.Trim().ToUpperInvariant();
        if (winner is not (SubjectTests.First or SubjectTests.Second))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["winner"] = ["must be \"A\" (the first subject) or \"B\" (the second)"] },
                title: "No winner was picked");
        }

        var picked = await control.PickWinnerAsync(number, winner, acting.Who, ct);
        if (picked is null)
        {
            return TypedResults.NotFound();
        }

        if (picked == false)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The winner is named already",
                detail: "The subject test's winner was named before (by the end of the wait or by an editor); nothing changed.");
        }

        var issue = await tests.IssueAsync(number, ct);
        return TypedResults.Ok((await tests.FiguresAsync(issue!, ct))!);
    }

    /// <summary>
    /// Makes the issue of the current schedule period (see <see cref="SendSlots"/>) and lets the engine
    /// send it: 202 for a new issue, 200 with the existing one when the slot already has one, 409 when
    /// there is nothing new to send.
    /// </summary>
    private static async Task<Results<Accepted<IssueView>, Ok<IssueView>, ProblemHttpResult>> SendAsync(
        IssueMaker maker, SendSlots slots, DeliveryEngine engine, IIssueDeliveries deliveries, CancellationToken ct)
    {
        var slot = slots.Manual();
        var made = await maker.MakeAsync(slot, ct);
        if (made.Issue is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Nothing to send",
                detail: "No comparison was published since the last issue, and Digest:SendWhenEmpty is false.");
        }

        engine.Wake();
        var view = await IssuesApi.ViewAsync(made.Issue, deliveries, ct);
        return made.Created ? TypedResults.Accepted($"/api/digests/{made.Issue.Number}", view) : TypedResults.Ok(view);
    }

    /// <summary>An editor stops a send where it is (across restarts, on every instance); 409 for a sent or already paused issue.</summary>
    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> PauseAsync(int number, IssueControl control, CancellationToken ct) =>
        ControlAnswer(await control.PauseAsync(number, ct), "The issue cannot be paused",
            "Only a queued, sending or paused issue can be paused; this one is sent or already paused by an editor.");

    /// <summary>The send goes on from where it stopped; 409 for an issue that is not paused.</summary>
    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ResumeAsync(int number, IssueControl control, CancellationToken ct) =>
        ControlAnswer(await control.ResumeAsync(number, ct), "The issue cannot be resumed", "Only a paused issue can be resumed.");

    private static Results<NoContent, NotFound, ProblemHttpResult> ControlAnswer(IssueControlResult result, string title, string detail) => result switch
    {
        IssueControlResult.Done => TypedResults.NoContent(),
        IssueControlResult.NotFound => TypedResults.NotFound(),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail),
    };
}

/// <summary>POST /api/digests/{number}/subject-test/winner: "A" (the first subject) or "B" (the second).</summary>
public sealed record WinnerPick(string? Winner);
