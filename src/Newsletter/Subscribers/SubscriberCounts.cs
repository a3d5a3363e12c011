using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>One stretch of time's changes to the list: readers confirmed, unsubscribed, bounced in it.</summary>
public sealed record ListChanges(int Confirmed, int Unsubscribed, int Bounced);

/// <summary>The subscribers read for the editors' console (which never opens the table itself).</summary>
public sealed class SubscriberCounts(NewsletterDbContext db)
{
    /// <summary>How many readers are in each status (every status present, zero included).</summary>
    public async Task<Dictionary<SubscriberStatus, int>> ByStatusAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Subscribers.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return Enum.GetValues<SubscriberStatus>().ToDictionary(s => s, s => counts.SingleOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    public Task<int> ConfirmedAsync(CancellationToken cancellationToken) =>
        db.Subscribers.CountAsync(s => s.Status == SubscriberStatus.Confirmed, cancellationToken);

    /// <summary>From the times the subscriber row keeps (ConfirmedAt, UnsubscribedAt, BouncedAt): each a range on one column.</summary>
    public async Task<ListChanges> ChangesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        new(
            await db.Subscribers.CountAsync(s => s.ConfirmedAt >= from && s.ConfirmedAt < to, cancellationToken),
            await db.Subscribers.CountAsync(s => s.UnsubscribedAt >= from && s.UnsubscribedAt < to, cancellationToken),
            await db.Subscribers.CountAsync(s => s.BouncedAt >= from && s.BouncedAt < to, cancellationToken));

    public Task<Subscriber?> ReaderAsync(long id, CancellationToken cancellationToken) =>
        db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    /// <summary>The ids of these addresses (unknown ones absent).</summary>
    public async Task<Dictionary<string, long>> IdsAsync(IEnumerable<string> emails, CancellationToken cancellationToken)
    {
        var list = emails.ToList();
        return await db.Subscribers.Where(s => list.Contains(s.Email)).ToDictionaryAsync(s => s.Email, s => s.Id, cancellationToken);
    }
}
