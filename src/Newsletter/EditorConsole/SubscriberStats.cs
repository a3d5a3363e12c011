using Newsletter.Delivery;
using Newsletter.Subscribers;

namespace Newsletter.EditorConsole;

/// <summary>One issue in a reader's history: whether it reached them.</summary>
public sealed record ReceivedIssue(int Number, string Subject, string Delivery, DateTimeOffset? SentAt, string? Error);

/// <summary>The list's numbers for the console: counts by status, weekly growth, one reader's history.</summary>
public sealed class SubscriberStats(SubscriberCounts subscribers, DeliveryFigures deliveries, TimeProvider clock)
{
    public Task<Dictionary<SubscriberStatus, int>> CountsAsync(CancellationToken cancellationToken) => subscribers.ByStatusAsync(cancellationToken);

    /// <summary>
    /// The last <see cref="GrowthChart.Weeks"/> weeks, oldest first, from the times the subscriber row
    /// keeps (ConfirmedAt, UnsubscribedAt, BouncedAt): a few counts per week, each a range on one column.
    /// </summary>
    public async Task<IReadOnlyList<GrowthWeek>> GrowthAsync(CancellationToken cancellationToken)
    {
        var thisWeek = GrowthChart.WeekOf(clock.GetUtcNow());
        var weeks = new List<GrowthWeek>(GrowthChart.Weeks);
        for (var i = GrowthChart.Weeks - 1; i >= 0; i--)
        {
            var monday = thisWeek.AddDays(-7 * i);
            var from = new DateTimeOffset(monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var to = from.AddDays(7);
            var changes = await subscribers.ChangesAsync(from, to, cancellationToken);
            weeks.Add(new GrowthWeek(monday, changes.Confirmed, changes.Unsubscribed, changes.Bounced));
        }

        return weeks;
    }

    public Task<Subscriber?> ReaderAsync(long id, CancellationToken cancellationToken) =>
        subscribers.ReaderAsync(id, cancellationToken);

    /// <summary>Every issue that was meant for the reader, newest first.</summary>
    public async Task<IReadOnlyList<ReceivedIssue>> HistoryAsync(long id, CancellationToken cancellationToken) =>
        (await deliveries.HistoryAsync(id, cancellationToken))
        .Select(x => new ReceivedIssue(x.Number, x.Subject, Word(x.Status), x.SentAt, x.LastError))
        .ToList();

    /// <summary>The ids behind a page of the directory's list (which shows addresses), for links to each reader.</summary>
    public Task<Dictionary<string, long>> IdsAsync(IEnumerable<string> emails, CancellationToken cancellationToken) =>
        subscribers.IdsAsync(emails, cancellationToken);

    private static string Word(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued or DeliveryStatus.Sending => "waiting",
        DeliveryStatus.Sent => "received",
        DeliveryStatus.Failed => "failed",
        _ => "skipped",
    };
}
