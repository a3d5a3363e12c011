using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Clicks;
using Newsletter.Digests;
using Newsletter.Inbound;
using Newsletter.Web;

namespace Newsletter.Delivery;

/// <summary>An issue with its delivery counts; rate and ETA while this process sends it; why it last paused.</summary>
public sealed record IssueView(
    int Number, string Subject, string Slot, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? ResumeAt, int Recipients,
    int Queued, int Sending, int Sent, int Failed, int Skipped, double? RatePerSecond, double? EtaSeconds, string? PauseReason = null,
    int Bounced = 0, int Complained = 0, IReadOnlyList<LinkClicks>? Clicks = null, IReadOnlyDictionary<string, int>? HeldForDomains = null);

/// <summary>
/// The /api/digests routes of the issues: send one, list them, one with its delivery counts, pause and
/// resume. They serve Delivery's counts, so they live here; the next digest and its preview are
/// Digests' (<see cref="NextDigestApi"/>), under the same prefix (Digests never calls Delivery).
/// </summary>
public static class DigestsApi
{
    private const int PageSize = 20;

    public static IEndpointRouteBuilder MapDigestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapPost("/send", SendAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{number:int}", GetAsync);
        group.MapPost("/{number:int}/pause", PauseAsync);
        group.MapPost("/{number:int}/resume", ResumeAsync);
        return app;
    }

    /// <summary>
    /// Makes the issue of the current schedule period (see <see cref="SendSlots"/>) and lets the engine
    /// send it: 202 for a new issue, 200 with the existing one when the slot already has one, 409 when
    /// there is nothing new to send.
    /// </summary>
    private static async Task<Results<Accepted<IssueView>, Ok<IssueView>, ProblemHttpResult>> SendAsync(
        IssueMaker maker, SendSlots slots, DeliveryEngine engine, NewsletterDbContext db, IDeliveryStore store, CancellationToken ct)
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
        var view = await ViewAsync(made.Issue, db, store, engine, ct);
        return made.Created ? TypedResults.Accepted($"/api/digests/{made.Issue.Number}", view) : TypedResults.Ok(view);
    }

    private static async Task<Ok<List<IssueView>>> ListAsync(
        NewsletterDbContext db, IDeliveryStore store, DeliveryEngine engine, int? page, CancellationToken ct)
    {
        var issues = await db.Issues.AsNoTracking()
            .OrderByDescending(i => i.Number)
            .Skip((Math.Max(page ?? 1, 1) - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        var views = new List<IssueView>(issues.Count);
        foreach (var issue in issues)
        {
            views.Add(await ViewAsync(issue, db, store, engine, ct));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<IssueView>, NotFound>> GetAsync(
        int number, NewsletterDbContext db, IDeliveryStore store, DeliveryEngine engine, IssueClicks clicks, CancellationToken ct)
    {
        var issue = await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Number == number, ct);
        return issue is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await ViewAsync(issue, db, store, engine, ct) with { Clicks = await clicks.ForIssueAsync(issue.Id, ct) });
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

    /// <summary>
    /// The rate and ETA of the whole send, from the rates every sending instance reports on its lease
    /// (any instance answers alike); this process's own run until the first report is in.
    /// </summary>
    private static async Task<SendProgress?> ClusterProgressAsync(
        DigestIssue issue, DeliveryCounts counts, IDeliveryStore store, DeliveryEngine engine, CancellationToken ct)
    {
        var local = engine.CurrentProgress is { } p && p.IssueId == issue.Id ? p : null;
        if (issue.Status != DigestIssueStatus.Sending || await store.Leases.RateAsync(issue.Id, ct) is not { } rate || rate <= 0)
        {
            return local;
        }

        return new SendProgress(issue.Id, issue.Number, counts.Total, counts.Sent, counts.Failed, counts.Skipped, Math.Round(rate, 1));
    }

    private static async Task<IssueView> ViewAsync(
        DigestIssue issue, NewsletterDbContext db, IDeliveryStore store, DeliveryEngine engine, CancellationToken ct)
    {
        var counts = await store.Reads.CountAsync(issue.Id, ct);
        var reports = await DeliveryReportCounts.CountAsync(db, issue.Id, ct);
        var progress = await ClusterProgressAsync(issue, counts, store, engine, ct);
        return new IssueView(
            issue.Number, issue.Subject, issue.Slot, issue.Status.ToString().ToLowerInvariant(), issue.CreatedAt, issue.StartedAt,
            issue.CompletedAt, issue.ResumeAt, issue.RecipientCount,
            counts.Queued, counts.Sending, counts.Sent, counts.Failed, counts.Skipped,
            progress?.RatePerSecond, progress?.Eta?.TotalSeconds, issue.PauseReason, reports.Bounced, reports.Complained,
            HeldForDomains: await DomainPauses.HeldForIssueAsync(db, issue.Id, ct));
    }
}
