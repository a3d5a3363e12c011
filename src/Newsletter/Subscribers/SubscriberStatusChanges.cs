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
    /// <see cref="Subscriber.ChangeStatus"/> does it: BouncedAt set, a pending confirmation link and an unsent welcome voided.
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
                .SetProperty(s => s.ConfirmTokenExpiresAt, (DateTimeOffset?)null)
                .SetProperty(s => s.WelcomeMailDueAt, (DateTimeOffset?)null), cancellationToken);
        await LeftConfirmedAsync(db, ids, departures, cancellationToken);
        return bounced;
    }

    /// <summary>
    /// Stops mail to one reader for what came back from their mailbox: <see cref="SubscriberStatus.Bounced"/>
    /// (a hard bounce, or soft ones in a row), <see cref="SubscriberStatus.Complained"/> (a spam report)
    /// or <see cref="SubscriberStatus.Unsubscribed"/> (a mail to the unsubscribe address), with the
    /// reason kept for the editors. A complaint outranks everything and is final; a bounce or an
    /// unsubscribe only stops a reader still pending or confirmed. Their mail not yet sent is skipped.
    /// Runs in the caller's transaction, if any. True when the status changed.
    /// </summary>
    public static async Task<bool> StopAsync(
        NewsletterDbContext db, long subscriberId, SubscriberStatus status, string reason, DateTimeOffset now,
        IEnumerable<IReaderDepartures> departures, CancellationToken cancellationToken)
    {
        SubscriberStatus[] from = status switch
        {
            SubscriberStatus.Complained => [SubscriberStatus.Pending, SubscriberStatus.Confirmed, SubscriberStatus.Unsubscribed, SubscriberStatus.Bounced],
            SubscriberStatus.Bounced or SubscriberStatus.Unsubscribed => [SubscriberStatus.Pending, SubscriberStatus.Confirmed],
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "only bounced, complained or unsubscribed stop mail"),
        };

        var changed = await db.Subscribers
            .Where(s => s.Id == subscriberId && from.Contains(s.Status))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, status)
                .SetProperty(s => s.StoppedReason, reason.Length <= 500 ? reason : reason[..500])
                .SetProperty(s => s.BouncedAt, s => status == SubscriberStatus.Bounced ? now : s.BouncedAt)
                .SetProperty(s => s.ComplainedAt, s => status == SubscriberStatus.Complained ? now : s.ComplainedAt)
                .SetProperty(s => s.UnsubscribedAt, s => status == SubscriberStatus.Unsubscribed ? now : s.UnsubscribedAt)
                .SetProperty(s => s.ConfirmTokenHash, (string?)null)
                .SetProperty(s => s.ConfirmTokenExpiresAt, (DateTimeOffset?)null)
                .SetProperty(s => s.WelcomeMailDueAt, (DateTimeOffset?)null), cancellationToken) > 0;
        await LeftConfirmedAsync(db, [subscriberId], departures, cancellationToken);
        return changed;
    }

    /// <summary>
    /// Counts a soft bounce of one issue (id; null when a provider did not say which): once per issue,
    /// in a row unless an issue went out to them in between without one (<paramref name="history"/>
    /// answers that: deliveries are Delivery's to read). At <paramref name="limit"/> in a row the reader is
    /// bounced (<see cref="StopAsync"/>). Returns the count after this one.
    /// </summary>
    public static async Task<int> SoftBounceAsync(
        NewsletterDbContext db, long subscriberId, long? issueId, int limit, string reason, DateTimeOffset now,
        IReaderHistory history, IEnumerable<IReaderDepartures> departures, CancellationToken cancellationToken)
    {
        var current = await db.Subscribers.AsNoTracking().Where(s => s.Id == subscriberId)
            .Select(s => new { s.SoftBounceCount, s.LastSoftBounceIssueId }).SingleOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return 0;
        }

        if (issueId is not null && current.LastSoftBounceIssueId is { } last && issueId <= last)
        {
            // This issue (or an older one, reported late) is counted already.
            return current.SoftBounceCount;
        }

        var inARow = current.LastSoftBounceIssueId is not { } previous || issueId is null
            || !await history.ReceivedBetweenAsync(db, subscriberId, previous, issueId.Value, cancellationToken);
        var count = inARow ? current.SoftBounceCount + 1 : 1;
        await db.Subscribers.Where(s => s.Id == subscriberId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.SoftBounceCount, count)
            .SetProperty(s => s.LastSoftBounceIssueId, s => issueId ?? s.LastSoftBounceIssueId), cancellationToken);
        if (count >= limit)
        {
            await StopAsync(db, subscriberId, SubscriberStatus.Bounced, $"{count} soft bounces in a row; last: {reason}", now, departures, cancellationToken);
        }

        return count;
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
