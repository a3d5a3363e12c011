using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Newsletter.Delivery;

/// <summary>
/// The queue SQL that is SQLite's own: claims in id order (keyset) in one transaction of the single
/// writer, outcomes recorded in one statement per group (<see cref="SqliteOutcomeWriter"/>), and when
/// the next delivery is due. Set-based statements only; nothing list-sized is ever loaded.
/// Claims and records are fenced by this engine's lease (<see cref="SqliteSenderLeases"/>).
/// </summary>
internal sealed class SqliteDeliveryQueue(SqliteDb db, SqliteSenderLeases lease, IServiceScopeFactory scopes, TimeProvider clock)
    : DeliveryQueue<SqliteDb>(db)
{
    public override async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, string? winner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await Db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var held = lease.HeldCheck(connection))
        {
            await SqliteSenderLeases.EnsureHeldAsync(held, transaction, cancellationToken);
        }

        var claimed = new List<ClaimedDelivery>(limit);
        await using (var select = SqliteDb.Command(connection, transaction,
            $"""
            SELECT {ClaimedColumns}
            FROM Deliveries d LEFT JOIN Subscribers s ON s.Id = d.SubscriberId
            WHERE d.IssueId = @issue AND d.Status = 'Queued' AND d.Id > $after
              AND (d.NextAttemptAt IS NULL OR d.NextAttemptAt <= $now)
              AND NOT EXISTS (SELECT 1 FROM PausedDomains p WHERE p.Domain = substr(s.Email, instr(s.Email, '@') + 1))
              AND {Gate.Sql}
            ORDER BY d.Id
            LIMIT $limit
            """, ("@issue", issueId), ("$after", afterId), ("$now", now), ("$limit", limit), ("@winner", winner)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(ReadClaimed(reader));
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

    public override IOutcomeWriter OpenOutcomeWriter() => new SqliteOutcomeWriter(Db, lease, scopes, clock);

    public override async Task<DateTimeOffset?> NextDueAsync(long issueId, string? winner, CancellationToken cancellationToken) =>
        await Db.ScalarAsync(
            $"""
            SELECT MIN(COALESCE(d.NextAttemptAt, 0)) FROM Deliveries d LEFT JOIN Subscribers s ON s.Id = d.SubscriberId
            WHERE d.IssueId = @issue AND d.Status = 'Queued'
              AND NOT EXISTS (SELECT 1 FROM PausedDomains p WHERE p.Domain = substr(s.Email, instr(s.Email, '@') + 1))
              AND {Gate.Sql}
            """, cancellationToken, ("issue", issueId), ("winner", winner)) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
