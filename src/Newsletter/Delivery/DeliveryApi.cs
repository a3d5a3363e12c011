using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Web;

namespace Newsletter.Delivery;

/// <summary>An issue with its delivery counts; rate and ETA while this process sends it.</summary>
public sealed record IssueView(
    int Number, string Subject, string Slot, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? ResumeAt, int Recipients,
    int Queued, int Sending, int Sent, int Failed, int Skipped, double? RatePerSecond, double? EtaSeconds,
    IReadOnlyList<Newsletter.Clicks.LinkClicks>? Clicks = null);

/// <summary>POST /api/digests/send, GET /api/digests, GET /api/digests/{number}.</summary>
public static class DeliveryApi
{
    private const int PageSize = 20;

    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapPost("/send", SendAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{number:int}", GetAsync);
        return app;
    }

    /// <summary>
    /// Makes the issue of the current schedule period (see <see cref="SendSlots"/>) and lets the engine
    /// send it: 202 for a new issue, 200 with the existing one when the slot already has one, 409 when
    /// there is nothing new to send.
    /// </summary>
    private static async Task<Results<Accepted<IssueView>, Ok<IssueView>, ProblemHttpResult>> SendAsync(
        IssueMaker maker, SendSlots slots, DeliveryEngine engine, DeliveryStore store, CancellationToken ct)
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
        var view = await ViewAsync(made.Issue, store, engine, ct);
        return made.Created ? TypedResults.Accepted($"/api/digests/{made.Issue.Number}", view) : TypedResults.Ok(view);
    }

    private static async Task<Ok<List<IssueView>>> ListAsync(
        NewsletterDbContext db, DeliveryStore store, DeliveryEngine engine, int? page, CancellationToken ct)
    {
        var issues = await db.Issues.AsNoTracking()
            .OrderByDescending(i => i.Number)
            .Skip((Math.Max(page ?? 1, 1) - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        var views = new List<IssueView>(issues.Count);
        foreach (var issue in issues)
        {
            views.Add(await ViewAsync(issue, store, engine, ct));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<IssueView>, NotFound>> GetAsync(
        int number, NewsletterDbContext db, DeliveryStore store, DeliveryEngine engine, Newsletter.Clicks.IssueClicks clicks, CancellationToken ct)
    {
        var issue = await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Number == number, ct);
        return issue is null ? TypedResults.NotFound() : TypedResults.Ok(await ViewAsync(issue, store, engine, ct) with { Clicks = await clicks.ForIssueAsync(issue.Id, ct) });
    }

    private static async Task<IssueView> ViewAsync(DigestIssue issue, DeliveryStore store, DeliveryEngine engine, CancellationToken ct)
    {
        var counts = await store.CountAsync(issue.Id, ct);
        var progress = engine.CurrentProgress is { } p && p.IssueId == issue.Id ? p : null;
        return new IssueView(
            issue.Number, issue.Subject, issue.Slot, issue.Status.ToString().ToLowerInvariant(), issue.CreatedAt, issue.StartedAt,
            issue.CompletedAt, issue.ResumeAt, issue.RecipientCount,
            counts.Queued, counts.Sending, counts.Sent, counts.Failed, counts.Skipped,
            progress?.RatePerSecond, progress?.Eta?.TotalSeconds);
    }
}
