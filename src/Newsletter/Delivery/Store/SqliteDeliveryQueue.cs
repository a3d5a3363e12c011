using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// The queue SQL on SQLite: the recipient snapshot, claims in id order (keyset), outcomes recorded in
/// one statement per group (<see cref="SqliteOutcomeWriter"/>), counts. Set-based statements only;
/// nothing list-sized is ever loaded.
/// Claims and records are fenced by this engine's lease (<see cref="SqliteSenderLeases"/>).
/// </summary>
internal sealed class SqliteDeliveryQueue(SqliteDb db, SqliteSenderLeases lease, IServiceScopeFactory scopes, TimeProvider clock) : IDeliveryQueue
{
    public Task<int> SnapshotAsync(NewsletterDbContext context, long issueId, CancellationToken cancellationToken) =>
        context.Database.ExecuteSqlRawAsync(
            """
            INSERT OR IGNORE INTO Deliveries (IssueId, SubscriberId, Status, Attempts)
            SELECT {0}, Id, 'Queued', 0 FROM Subscribers WHERE Status = 'Confirmed' ORDER BY Id
            """, [issueId], cancellationToken);

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var held = lease.HeldCheck(connection))
        {
            await SqliteSenderLeases.EnsureHeldAsync(held, transaction, cancellationToken);
        }

        var claimed = new List<ClaimedDelivery>(limit);
        await using (var select = SqliteDb.Command(connection, transaction,
            """
            SELECT d.Id, d.SubscriberId, d.Attempts, s.Email, s.Name, s.Status, s.UnsubscribeToken
            FROM Deliveries d LEFT JOIN Subscribers s ON s.Id = d.SubscriberId
            WHERE d.IssueId = $issue AND d.Status = 'Queued' AND d.Id > $after
              AND (d.NextAttemptAt IS NULL OR d.NextAttemptAt <= $now)
              AND NOT EXISTS (SELECT 1 FROM PausedDomains p WHERE p.Domain = substr(s.Email, instr(s.Email, '@') + 1))
            ORDER BY d.Id
            LIMIT $limit
            """, ("$issue", issueId), ("$after", afterId), ("$now", now), ("$limit", limit)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedDelivery(
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : Enum.Parse<SubscriberStatus>(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        if (claimed.Count > 0)
        {
            await using var update = SqliteDb.Command(connection, transaction,
                "UPDATE Deliveries SET Status = 'Sending', ClaimedAt = $now, ClaimedBy = $me WHERE Id IN (SELECT value FROM json_each($ids))",
                ("$now", now), ("$me", lease.Id), ("$ids", JsonSerializer.Serialize(claimed.Select(c => c.Id))));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public IOutcomeWriter OpenOutcomeWriter() => new SqliteOutcomeWriter(db, lease, scopes, clock);

    public Task<int> SkipUnsentAsync(NewsletterDbContext context, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        if (subscriberIds.Count == 0)
        {
            return Task.FromResult(0);
        }

        // By unsent issue and subscriber, on the (IssueId, SubscriberId) index: the unary + keeps
        // SQLite from walking an issue's whole queue on the (IssueId, Status, Id) index instead.
        return context.Database.ExecuteSqlRawAsync(
            """
            UPDATE Deliveries SET Status = 'Skipped', NextAttemptAt = NULL
            WHERE IssueId IN (SELECT Id FROM Issues WHERE Status <> 'Sent')
              AND SubscriberId IN (SELECT value FROM json_each({0}))
              AND +Status = 'Queued'
            """, [JsonSerializer.Serialize(subscriberIds)], cancellationToken);
    }

    public async Task<Dictionary<long, SubscriberStatus>> StatusesAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<long, SubscriberStatus>(subscriberIds.Count);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = SqliteDb.Command(connection, null,
            "SELECT Id, Status FROM Subscribers WHERE Id IN (SELECT value FROM json_each($ids))",
            ("$ids", JsonSerializer.Serialize(subscriberIds)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            statuses[reader.GetInt64(0)] = Enum.Parse<SubscriberStatus>(reader.GetString(1));
        }

        return statuses;
    }

    public async Task<DeliveryCounts> CountAsync(long issueId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = SqliteDb.Command(connection, null,
            "SELECT Status, COUNT(*) FROM Deliveries WHERE IssueId = $issue GROUP BY Status", ("$issue", issueId));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        int Get(DeliveryStatus s) => counts.GetValueOrDefault(s.ToString());
        return new DeliveryCounts(Get(DeliveryStatus.Queued), Get(DeliveryStatus.Sending), Get(DeliveryStatus.Sent),
            Get(DeliveryStatus.Failed), Get(DeliveryStatus.Skipped));
    }

    public async Task<DateTimeOffset?> NextDueAsync(long issueId, CancellationToken cancellationToken) =>
        await db.ScalarAsync(
            """
            SELECT MIN(COALESCE(d.NextAttemptAt, 0)) FROM Deliveries d LEFT JOIN Subscribers s ON s.Id = d.SubscriberId
            WHERE d.IssueId = $issue AND d.Status = 'Queued'
              AND NOT EXISTS (SELECT 1 FROM PausedDomains p WHERE p.Domain = substr(s.Email, instr(s.Email, '@') + 1))
            """, cancellationToken, ("$issue", issueId)) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public async Task<bool> IsHeldAsync(long issueId, CancellationToken cancellationToken) =>
        await db.ScalarAsync("SELECT 1 FROM Issues WHERE Id = $issue AND Status = 'Held'", cancellationToken, ("$issue", issueId)) is not null;

    public async Task<long> DepthAsync(CancellationToken cancellationToken) =>
        await db.ScalarAsync(
            """
            SELECT COUNT(*) FROM Deliveries
            WHERE IssueId IN (SELECT Id FROM Issues WHERE Status <> 'Sent') AND Status IN ('Queued', 'Sending')
            """, cancellationToken) is long n ? n : 0;
}
