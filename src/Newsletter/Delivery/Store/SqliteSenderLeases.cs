using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Newsletter.Delivery;

/// <summary>
/// The lease SQL on SQLite: a row per engine in SenderLeases, taken only while no other engine's row
/// is live (one sender at a time on SQLite). Claims name the lease; taking or renewing it puts back
/// the rows of leases that expired.
/// </summary>
internal sealed class SqliteSenderLeases(SqliteDb db, TimeProvider clock) : SenderLeases<SqliteDb>(db, clock)
{
    /// <summary>Whatever its expiry: only another engine's take deletes an expired row here.</summary>
    protected override string RenewSql => "UPDATE SenderLeases SET ExpiresAt = @until WHERE Id = @me";

    public override async Task<LeaseTake> AcquireAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        await using var connection = await Db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // Another live engine sends: wait for it (its row names it and its issue).
        await using (var live = SqliteDb.Command(connection, transaction,
            "SELECT Owner, ExpiresAt, IssueId FROM SenderLeases WHERE Id <> $me AND ExpiresAt >= $now ORDER BY ExpiresAt DESC LIMIT 1",
            ("$me", Id), ("$now", now.ToUnixTimeMilliseconds())))
        await using (var reader = await live.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                return new LeaseTake(false, 0, new LeaseHolder(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2)));
            }
        }

        await using (var take = SqliteDb.Command(connection, transaction,
            """
            DELETE FROM SenderLeases WHERE ExpiresAt < $now AND Id <> $me;
            INSERT INTO SenderLeases (Id, Owner, ExpiresAt, IssueId) VALUES ($me, $owner, $until, $issue)
            ON CONFLICT (Id) DO UPDATE SET ExpiresAt = excluded.ExpiresAt, IssueId = excluded.IssueId;
            """, ("$me", Id), ("$owner", Owner), ("$until", (now + duration).ToUnixTimeMilliseconds()), ("$issue", issueId),
            ("$now", now.ToUnixTimeMilliseconds())))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        // This engine's own claims from an earlier run count as orphans too: no run of it is active.
        var released = await PutBackAsync(connection, transaction, issueId, includeOwn: true, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LeaseTake(true, released, null);
    }

    /// <summary>The check a claim or record makes first, in its transaction: this engine's lease row is there.</summary>
    public SqliteCommand HeldCheck(SqliteConnection connection) =>
        SqliteDb.Command(connection, null, "SELECT 1 FROM SenderLeases WHERE Id = $me", ("$me", Id));

    /// <summary>Runs <see cref="HeldCheck"/> in <paramref name="transaction"/>; <see cref="SenderLeaseLostException"/> when the row is gone.</summary>
    public static async Task EnsureHeldAsync(SqliteCommand check, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        check.Transaction = transaction;
        if (await check.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new SenderLeaseLostException();
        }
    }

    protected override async Task<int> PutBackAsync(DbConnection connection, DbTransaction transaction, long issueId, bool includeOwn, CancellationToken cancellationToken)
    {
        await using var release = StoreDb.Command(connection, transaction,
            """
            UPDATE Deliveries SET Status = 'Queued', ClaimedAt = NULL, ClaimedBy = NULL
            WHERE IssueId = $issue AND Status = 'Sending'
              AND (ClaimedBy IS NULL OR ($own AND ClaimedBy = $me)
                   OR ClaimedBy NOT IN (SELECT Id FROM SenderLeases WHERE ExpiresAt >= $now))
            """, ("$issue", issueId), ("$own", includeOwn), ("$me", Id), ("$now", Clock.GetUtcNow().ToUnixTimeMilliseconds()));
        return await release.ExecuteNonQueryAsync(cancellationToken);
    }
}
