using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.EditorConsole;

/// <summary>One issue in a reader's history: whether it reached them.</summary>
public sealed record ReceivedIssue(int Number, string Subject, string Delivery, DateTimeOffset? SentAt, string? Error);

/// <summary>The list's numbers for the console: counts by status, weekly growth, one reader's history.</summary>
public sealed class SubscriberStats(NewsletterDbContext db, TimeProvider clock)
{
    public async Task<Dictionary<SubscriberStatus, int>> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Subscribers.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return Enum.GetValues<SubscriberStatus>().ToDictionary(s => s, s => counts.SingleOrDefault(c => c.Key == s)?.Count ?? 0);
    }

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
            weeks.Add(new GrowthWeek(
                monday,
                await db.Subscribers.CountAsync(s => s.ConfirmedAt >= from && s.ConfirmedAt < to, cancellationToken),
                await db.Subscribers.CountAsync(s => s.UnsubscribedAt >= from && s.UnsubscribedAt < to, cancellationToken),
                await db.Subscribers.CountAsync(s => s.BouncedAt >= from && s.BouncedAt < to, cancellationToken)));
        }

        return weeks;
    }

    public Task<Subscriber?> ReaderAsync(long id, CancellationToken cancellationToken) =>
        db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    /// <summary>Every issue that was meant for the reader, newest first.</summary>
    public async Task<IReadOnlyList<ReceivedIssue>> HistoryAsync(long id, CancellationToken cancellationToken) =>
        (await db.Deliveries.Where(d => d.SubscriberId == id)
            .Join(db.Issues, d => d.IssueId, i => i.Id, (d, i) => new { i.Number, i.Subject, d.Status, d.SentAt, d.LastError })
            .OrderByDescending(x => x.Number)
            .ToListAsync(cancellationToken))
        .Select(x => new ReceivedIssue(x.Number, x.Subject, Word(x.Status), x.SentAt, x.LastError))
        .ToList();

    /// <summary>The ids behind a page of the directory's list (which shows addresses), for links to each reader.</summary>
    public async Task<Dictionary<string, long>> IdsAsync(IEnumerable<string> emails, CancellationToken cancellationToken)
    {
        var list = emails.ToList();
        return await db.Subscribers.Where(s => list.Contains(s.Email)).ToDictionaryAsync(s => s.Email, s => s.Id, cancellationToken);
    }

    private static string Word(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Queued or DeliveryStatus.Sending => "waiting",
        DeliveryStatus.Sent => "received",
        DeliveryStatus.Failed => "failed",
        _ => "skipped",
    };
}
