using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>
/// The writes that fill and trim the queue inside another change's transaction (the issue being
/// made; readers leaving Confirmed), on the caller's context: one SQL for both databases.
/// Set-based statements only; nothing list-sized is ever loaded.
/// </summary>
internal static class RecipientQueue
{
    /// <summary>One delivery per subscriber confirmed right now, in one statement. Returns how many.</summary>
    public static Task<int> SnapshotAsync(NewsletterDbContext context, long issueId, CancellationToken cancellationToken) =>
        context.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO Deliveries (IssueId, SubscriberId, Status, Attempts)
            SELECT {0}, Id, 'Queued', 0 FROM Subscribers WHERE Status = 'Confirmed' ORDER BY Id
            ON CONFLICT (IssueId, SubscriberId) DO NOTHING
            """, [issueId], cancellationToken);

    /// <summary>
    /// Right after the snapshot: the deliveries of the readers the sub-select names (its {0} is the
    /// issue's id) go, for readers whose own choice gives them nothing in this issue. Returns how many.
    /// </summary>
    public static Task<int> DropAsync(NewsletterDbContext context, long issueId, string subscribers, CancellationToken cancellationToken)
    {
        // The sub-select is the selection rule's own SQL text; the issue's id goes as the parameter.
        var sql = "DELETE FROM Deliveries WHERE IssueId = {0} AND SubscriberId IN (" + subscribers + ")";
        return context.Database.ExecuteSqlRawAsync(sql, [issueId], cancellationToken);
    }

    /// <summary>Queued deliveries of unsent issues to these subscribers become Skipped. Returns how many.</summary>
    public static Task<int> SkipUnsentAsync(NewsletterDbContext context, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        if (subscriberIds.Count == 0)
        {
            return Task.FromResult(0);
        }

        // By unsent issue and subscriber, on the (IssueId, SubscriberId) index: SQLite must not walk
        // an issue's whole queue on the (IssueId, Status, Id) index instead (NotIndexed).
        // The fragments are the dialect's own text; the ids go as the one parameter.
        var database = context.Database;
        var sql = $"""
            UPDATE Deliveries SET Status = 'Skipped', NextAttemptAt = NULL
            WHERE IssueId IN (SELECT Id FROM Issues WHERE Status <> 'Sent')
              AND {database.IdIn("SubscriberId", "{0}")}
              AND {database.NotIndexed("Status")} = 'Queued'
            """;
        return database.ExecuteSqlRawAsync(sql, [database.IdList(subscriberIds)], cancellationToken);
    }
}
