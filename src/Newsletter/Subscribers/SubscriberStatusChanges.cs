using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// The set-based side of <see cref="Subscriber.ChangeStatus"/>: the same rules for many subscribers
/// in one statement, and what leaving Confirmed means for mail not yet sent. Every status change
/// goes through one of the two; keep them in step.
/// </summary>
public static class SubscriberStatusChanges
{
    /// <summary>
    /// Confirmed → Bounced for these subscribers (a server refused their address for good), as
    /// <see cref="Subscriber.ChangeStatus"/> does it: BouncedAt set, a pending confirmation link voided.
    /// One who unsubscribed meanwhile stays unsubscribed. Their mail not yet sent is skipped. Runs in
    /// the caller's transaction, if any. Returns how many bounced.
    /// </summary>
    public static async Task<int> BounceAsync(NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = subscriberIds.Distinct().ToList();
        var bounced = await db.Subscribers
            .Where(s => ids.Contains(s.Id) && s.Status == SubscriberStatus.Confirmed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SubscriberStatus.Bounced)
                .SetProperty(s => s.BouncedAt, now)
                .SetProperty(s => s.ConfirmTokenHash, (string?)null)
                .SetProperty(s => s.ConfirmTokenExpiresAt, (DateTimeOffset?)null), cancellationToken);
        await SkipUnsentMailAsync(db, ids, cancellationToken);
        return bounced;
    }

    /// <summary>
    /// After these subscribers left Confirmed (unsubscribed, bounced, set back by an import): their
    /// deliveries still queued in an issue not yet sent become Skipped, so nothing more goes to them.
    /// A delivery already claimed is left to the sender, which looks at the status again just before
    /// the mail goes out. Runs in the caller's transaction, if any. Returns how many were skipped.
    /// </summary>
    public static Task<int> SkipUnsentMailAsync(NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        if (subscriberIds.Count == 0)
        {
            return Task.FromResult(0);
        }

        // By unsent issue and subscriber, on the (IssueId, SubscriberId) index: the unary + keeps
        // SQLite from walking an issue's whole queue on the (IssueId, Status, Id) index instead.
        var sql = $"""
            UPDATE Deliveries SET Status = 'Skipped', NextAttemptAt = NULL
            WHERE IssueId IN (SELECT Id FROM Issues WHERE Status <> 'Sent')
              AND SubscriberId IN ({db.Database.IdsFromJson("{0}")})
              AND {db.Database.NotIndexed("Status")} = 'Queued'
            """;
        return db.Database.ExecuteSqlRawAsync(sql, [JsonSerializer.Serialize(subscriberIds)], cancellationToken);
    }
}
