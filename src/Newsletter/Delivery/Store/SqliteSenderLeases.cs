using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Newsletter.Delivery;

/// <summary>
/// The lease SQL on SQLite: a row per engine in SenderLeases, taken only while no other engine's row
/// is live (one sender at a time on SQLite). Claims name the lease; taking or renewing it puts back
/// the rows of leases that expired.
/// </summary>
internal sealed class SqliteSenderLeases(SqliteDb db, TimeProvider clock) : ISenderLeases
{
    /// <summary>Random and positive; new per process, so a restarted engine never owns old claims.</summary>
    public long Id { get; } = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;

    private static string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task<LeaseTake> AcquireAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(cancellationToken);
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

    public async Task<LeaseRenewal> RenewAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        int renewed;
        await using (var renew = SqliteDb.Command(connection, transaction,
            "UPDATE SenderLeases SET ExpiresAt = $until WHERE Id = $me",
            ("$me", Id), ("$until", (clock.GetUtcNow() + duration).ToUnixTimeMilliseconds())))
        {
            renewed = await renew.ExecuteNonQueryAsync(cancellationToken);
        }

        var released = renewed == 1 ? await PutBackAsync(connection, transaction, issueId, includeOwn: false, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        return new LeaseRenewal(renewed == 1, released);
    }

    public Task ReleaseAsync(CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM SenderLeases WHERE Id = $me", cancellationToken, ("$me", Id));

    public Task ReportRateAsync(double ratePerSecond, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE SenderLeases SET RatePerSecond = $rate WHERE Id = $me", cancellationToken, ("$me", Id), ("$rate", ratePerSecond));

    public async Task<double?> RateAsync(long issueId, CancellationToken cancellationToken) =>
        await db.ScalarAsync("SELECT SUM(RatePerSecond) FROM SenderLeases WHERE IssueId = $issue AND ExpiresAt >= $now",
            cancellationToken, ("$issue", issueId), ("$now", clock.GetUtcNow().ToUnixTimeMilliseconds())) is double rate ? rate : null;

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

    /// <summary>The issue's rows claimed under no live lease (and under this engine's own, if asked) go back to the queue.</summary>
    private async Task<int> PutBackAsync(SqliteConnection connection, SqliteTransaction transaction, long issueId, bool includeOwn, CancellationToken cancellationToken)
    {
        await using var release = SqliteDb.Command(connection, transaction,
            """
            UPDATE Deliveries SET Status = 'Queued', ClaimedAt = NULL, ClaimedBy = NULL
            WHERE IssueId = $issue AND Status = 'Sending'
              AND (ClaimedBy IS NULL OR ($own AND ClaimedBy = $me)
                   OR ClaimedBy NOT IN (SELECT Id FROM SenderLeases WHERE ExpiresAt >= $now))
            """, ("$issue", issueId), ("$own", includeOwn), ("$me", Id), ("$now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
        return await release.ExecuteNonQueryAsync(cancellationToken);
    }
}
