using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Newsletter.Clicks;
using Newsletter.Data;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>An issue with its delivery counts; rate and ETA while it is being sent; why it last paused.</summary>
public sealed record IssueView(
    int Number, string Subject, string Slot, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? ResumeAt, int Recipients,
    int Queued, int Sending, int Sent, int Failed, int Skipped, double? RatePerSecond, double? EtaSeconds, string? PauseReason = null,
    int Bounced = 0, int Complained = 0, IReadOnlyList<LinkClicks>? Clicks = null, IReadOnlyDictionary<string, int>? HeldForDomains = null);

/// <summary>What an issue's send has done so far, as the feature that sends it tells (Delivery answers).</summary>
public sealed record IssueDeliveryFigures(
    int Queued, int Sending, int Sent, int Failed, int Skipped, double? RatePerSecond, double? EtaSeconds,
    int Bounced, int Complained, IReadOnlyDictionary<string, int> HeldForDomains);

/// <summary>The send's side of an issue, asked by Digests, which never imports the feature that sends.</summary>
public interface IIssueDeliveries
{
    Task<IssueDeliveryFigures> ForIssueAsync(DigestIssue issue, CancellationToken cancellationToken);
}

/// <summary>
/// The /api/digests routes that read the issues, which Digests owns: the list and one issue with
/// its clicks; the send's figures come through <see cref="IIssueDeliveries"/>. Sending, pausing and
/// resuming are the sender's (Delivery's DigestsApi), under the same prefix.
/// </summary>
public static class IssuesApi
{
    private const int PageSize = 20;

    public static IEndpointRouteBuilder MapIssuesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapGet("/", ListAsync);
        group.MapGet("/{number:int}", GetAsync);
        group.MapGet("/{number:int}/subject-test", SubjectTestAsync);
        return app;
    }

    /// <summary>An issue as the API shows it: its row and what its send has done.</summary>
    public static async Task<IssueView> ViewAsync(DigestIssue issue, IIssueDeliveries deliveries, CancellationToken ct)
    {
        var d = await deliveries.ForIssueAsync(issue, ct);
        return new IssueView(
            issue.Number, issue.Subject, issue.Slot, issue.Status.ToString().ToLowerInvariant(), issue.CreatedAt, issue.StartedAt,
            issue.CompletedAt, issue.ResumeAt, issue.RecipientCount,
            d.Queued, d.Sending, d.Sent, d.Failed, d.Skipped,
            d.RatePerSecond, d.EtaSeconds, issue.PauseReason, d.Bounced, d.Complained,
            HeldForDomains: d.HeldForDomains);
    }

    private static async Task<Ok<List<IssueView>>> ListAsync(NewsletterDbContext db, IIssueDeliveries deliveries, int? page, CancellationToken ct)
    {
        var issues = await db.Issues.AsNoTracking()
            .OrderByDescending(i => i.Number)
            .Skip((Math.Max(page ?? 1, 1) - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        var views = new List<IssueView>(issues.Count);
        foreach (var issue in issues)
        {
            views.Add(await ViewAsync(issue, deliveries, ct));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<IssueView>, NotFound>> GetAsync(
        int number, NewsletterDbContext db, IIssueDeliveries deliveries, IssueClicks clicks, CancellationToken ct)
    {
        var issue = await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Number == number, ct);
        return issue is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await ViewAsync(issue, deliveries, ct) with { Clicks = await clicks.ForIssueAsync(issue.Id, ct) });
    }

    /// <summary>An issue's subject test: both subjects, their halves' readers, mails sent, answers and rates, the winner and the wait's end.</summary>
    private static async Task<Results<Ok<SubjectTestView>, NotFound>> SubjectTestAsync(int number, SubjectTests tests, CancellationToken ct) =>
        await tests.IssueAsync(number, ct) is { } issue && await tests.FiguresAsync(issue, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
}
