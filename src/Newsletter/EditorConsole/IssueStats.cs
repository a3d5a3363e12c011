using Newsletter.Clicks;
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
public sealed class IssueStats(
    IssueReads issues, DeliveryFigures deliveries, IssueReports reports, IssueClicks issueClicks, VoteReads votes)
{
    public const int PageSize = 25;

    public async Task<(IReadOnlyList<IssueRow> Rows, int Total)> ListAsync(int page, CancellationToken cancellationToken)
    {
        var total = await issues.CountAsync(cancellationToken);
        var list = await issues.NewestAsync((page - 1) * PageSize, PageSize, cancellationToken);
        return (await RowsAsync(list, cancellationToken), total);
    }

    public async Task<IssueRow?> GetAsync(int number, CancellationToken cancellationToken)
    {
        var issue = await issues.ByNumberAsync(number, cancellationToken);
        return issue is null ? null : (await RowsAsync([issue], cancellationToken))[0];
    }

    private async Task<IReadOnlyList<IssueRow>> RowsAsync(List<DigestIssue> list, CancellationToken cancellationToken)
    {
        var counts = await deliveries.StatusCountsAsync([.. list.Select(i => i.Id)], cancellationToken);
        int Count(long issueId, DeliveryStatus status) => counts.GetValueOrDefault((issueId, status));

        var rows = new List<IssueRow>(list.Count);
        foreach (var issue in list)
        {
            var (start, end) = await WindowAsync(issue, cancellationToken);
            var unsubscribes = start is null ? 0 : await deliveries.ReadersAsync(issue.Id, s => s.UnsubscribedAt >= start && (end == null || s.UnsubscribedAt < end), cancellationToken);
            var reported = await reports.CountsAsync(issue.Id, cancellationToken);
            var clicks = (await issueClicks.ForIssueAsync(issue.Id, cancellationToken)).Sum(l => l.Clicks);
            var voted = await votes.CountAsync(await issues.ComparisonIdsAsync(issue.Id, cancellationToken), cancellationToken);
            rows.Add(new IssueRow(
                issue.Number, issue.Subject, issue.Status.ToString().ToLowerInvariant(), issue.CreatedAt, issue.StartedAt, issue.CompletedAt,
                issue.ResumeAt, issue.RecipientCount,
                Count(issue.Id, DeliveryStatus.Queued) + Count(issue.Id, DeliveryStatus.Sending),
                Count(issue.Id, DeliveryStatus.Sent), Count(issue.Id, DeliveryStatus.Failed), Count(issue.Id, DeliveryStatus.Skipped),
                reported.Bounced, reported.Complained, unsubscribes, clicks, voted));
        }

        return rows;
    }

    /// <summary>From this issue's start to the next started issue's start (open-ended for the latest).</summary>
    private async Task<(DateTimeOffset? Start, DateTimeOffset? End)> WindowAsync(DigestIssue issue, CancellationToken cancellationToken) =>
        issue.StartedAt is { } start ? (start, await issues.NextStartAsync(issue.Number, cancellationToken)) : (null, null);
}
