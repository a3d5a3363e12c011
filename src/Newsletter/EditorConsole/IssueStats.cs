using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Newsletter.Clicks;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Inbound;
using Newsletter.Subscribers;
using Newsletter.Votes;

namespace Newsletter.EditorConsole;

/// <summary>
/// One issue as the console shows it. Bounced and complained are the readers the inbound mailbox (or
/// the bounce webhook) reported for this issue, as GET /api/digests/{n} counts them; clicks are reader
/// clicks on its tracked links (scanners left out); votes are the votes on the comparisons it carried.
/// </summary>
public sealed record IssueRow(
    int Number, string Subject, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? ResumeAt, int Readers, int Queued, int Sent, int Failed, int Skipped, int Bounced, int Complained,
    int Unsubscribes, int Clicks, int Votes)
{
    public int Done => Sent + Failed + Skipped;

    public bool IsRunning => Status is "queued" or "sending" or "paused" or "held";
}

/// <summary>
/// The one place the console's per-issue numbers come from (the issues list and an issue's page).
/// Unsubscribes are credited to the last issue a reader got before they left: the ones whose time
/// falls between this issue's start and the next issue's.
/// </summary>
public sealed class IssueStats(NewsletterDbContext db, IssueClicks issueClicks)
{
    public const int PageSize = 25;

    public async Task<(IReadOnlyList<IssueRow> Rows, int Total)> ListAsync(int page, CancellationToken cancellationToken)
    {
        var total = await db.Issues.CountAsync(cancellationToken);
        var issues = await db.Issues.AsNoTracking().OrderByDescending(i => i.Number)
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return (await RowsAsync(issues, cancellationToken), total);
    }

    public async Task<IssueRow?> GetAsync(int number, CancellationToken cancellationToken)
    {
        var issue = await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Number == number, cancellationToken);
        return issue is null ? null : (await RowsAsync([issue], cancellationToken))[0];
    }

    private async Task<IReadOnlyList<IssueRow>> RowsAsync(List<DigestIssue> issues, CancellationToken cancellationToken)
    {
        var ids = issues.Select(i => i.Id).ToList();
        var counts = (await db.Deliveries.Where(d => ids.Contains(d.IssueId))
                .GroupBy(d => new { d.IssueId, d.Status })
                .Select(g => new { g.Key.IssueId, g.Key.Status, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToDictionary(c => (c.IssueId, c.Status), c => c.Count);
        int Count(long issueId, DeliveryStatus status) => counts.GetValueOrDefault((issueId, status));

        var rows = new List<IssueRow>(issues.Count);
        foreach (var issue in issues)
        {
            var (start, end) = await WindowAsync(issue, cancellationToken);
            var unsubscribes = start is null ? 0 : await LeftAsync(issue.Id, s => s.UnsubscribedAt >= start && (end == null || s.UnsubscribedAt < end), cancellationToken);
            var reports = await DeliveryReportCounts.CountAsync(db, issue.Id, cancellationToken);
            var clicks = (await issueClicks.ForIssueAsync(issue.Id, cancellationToken)).Sum(l => l.Clicks);
            var votes = await db.Set<Vote>().CountAsync(
                v => db.Set<DigestIssueComparison>().Any(ic => ic.IssueId == issue.Id && ic.ComparisonId == v.ComparisonId), cancellationToken);
            rows.Add(new IssueRow(
                issue.Number, issue.Subject, issue.Status.ToString().ToLowerInvariant(), issue.CreatedAt, issue.StartedAt, issue.CompletedAt,
                issue.ResumeAt, issue.RecipientCount,
                Count(issue.Id, DeliveryStatus.Queued) + Count(issue.Id, DeliveryStatus.Sending),
                Count(issue.Id, DeliveryStatus.Sent), Count(issue.Id, DeliveryStatus.Failed), Count(issue.Id, DeliveryStatus.Skipped),
                reports.Bounced, reports.Complained, unsubscribes, clicks, votes));
        }

        return rows;
    }

    /// <summary>From this issue's start to the next started issue's start (open-ended for the latest).</summary>
    private async Task<(DateTimeOffset? Start, DateTimeOffset? End)> WindowAsync(DigestIssue issue, CancellationToken cancellationToken)
    {
        if (issue.StartedAt is not { } start)
        {
            return (null, null);
        }

        var end = await db.Issues.Where(i => i.Number > issue.Number && i.StartedAt != null)
            .OrderBy(i => i.Number).Select(i => i.StartedAt).FirstOrDefaultAsync(cancellationToken);
        return (start, end);
    }

    /// <summary>Readers the issue was sent to (or refused for) who match <paramref name="left"/>.</summary>
    private Task<int> LeftAsync(long issueId, Expression<Func<Subscriber, bool>> left, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => d.IssueId == issueId && (d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Failed))
            .Join(db.Subscribers, d => d.SubscriberId, s => (long?)s.Id, (d, s) => s)
            .Where(left)
            .CountAsync(cancellationToken);
}
