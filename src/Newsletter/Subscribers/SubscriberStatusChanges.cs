using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// The set-based side of <see cref="Subscriber.ChangeStatus"/>: the same rules for many subscribers
/// in one statement, and the notice to <see cref="IReaderDepartures"/> when readers leave Confirmed.
/// Every status change goes through one of the two; keep them in step.
/// </summary>
public static class SubscriberStatusChanges
{
    /// <summary>
    /// Confirmed → Bounced for these subscribers (a server refused their address for good), as
    /// <see cref="Subscriber.ChangeStatus"/> does it: BouncedAt set, a pending confirmation link voided.
    /// One who unsubscribed meanwhile stays unsubscribed. The departures are told (their unsent mail
    /// is skipped). Runs in the caller's transaction, if any. Returns how many bounced.
    /// </summary>
    public static async Task<int> BounceAsync(
        NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, DateTimeOffset now,
        IEnumerable<IReaderDepartures> departures, CancellationToken cancellationToken)
    {
        var ids = subscriberIds.Distinct().ToList();
        var bounced = await db.Subscribers
            .Where(s => ids.Contains(s.Id) && s.Status == SubscriberStatus.Confirmed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SubscriberStatus.Bounced)
                .SetProperty(s => s.BouncedAt, now)
                .SetProperty(s => s.ConfirmTokenHash, (string?)null)
                .SetProperty(s => s.ConfirmTokenExpiresAt, (DateTimeOffset?)null), cancellationToken);
        await LeftConfirmedAsync(db, ids, departures, cancellationToken);
        return bounced;
    }

    /// <summary>
    /// After these subscribers left Confirmed (unsubscribed, bounced, set back by an import): tells
    /// every <see cref="IReaderDepartures"/>, in the caller's transaction, if any. Returns the sum of
    /// what they changed.
    /// </summary>
    public static async Task<int> LeftConfirmedAsync(
        NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, IEnumerable<IReaderDepartures> departures, CancellationToken cancellationToken)
    {
        var changed = 0;
        if (subscriberIds.Count == 0)
        {
            return changed;
        }

        foreach (var departure in departures)
        {
            changed += await departure.LeftConfirmedAsync(db, subscriberIds, cancellationToken);
        }

        return changed;
    }
}
