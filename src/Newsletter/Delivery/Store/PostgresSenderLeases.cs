using System.Security.Cryptography;
using Npgsql;

namespace Newsletter.Delivery;

/// <summary>
/// The lease SQL on PostgreSQL: a row per instance in senderleases, taken whatever other rows are
/// live (the instances share a send). A claim or a record locks this instance's row FOR SHARE, so an
/// instance that finds the row expired and deletes it waits for that claim to commit, and its
/// put-back then sees the claimed rows. Taking or renewing the lease deletes the expired rows and
/// puts back what they had claimed: the rows of an instance that died.
/// </summary>
internal sealed class PostgresSenderLeases(PostgresDb db, TimeProvider clock) : ISenderLeases
{
    /// <summary>Random and positive; new per process, so a restarted instance never owns old claims.</summary>
    public long Id { get; } = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;

    private static string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<LeaseTake> AcquireAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = PostgresDb.Command(connection, transaction,
            """
            INSERT INTO senderleases (id, owner, expiresat, issueid) VALUES (@me, @owner, @until, @issue)
            ON CONFLICT (id) DO UPDATE SET expiresat = excluded.expiresat, issueid = excluded.issueid
            """, ("me", Id), ("owner", Owner), ("until", Now + (long)duration.TotalMilliseconds), ("issue", issueId)))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        // This instance's own claims from an earlier run count as orphans too: no run of it is active.
        var released = await PutBackAsync(connection, transaction, issueId, includeOwn: true, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LeaseTake(true, released, null);
    }

    public async Task<LeaseRenewal> RenewAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int renewed;
        await using (var renew = PostgresDb.Command(connection, transaction,
            "UPDATE senderleases SET expiresat = @until WHERE id = @me AND expiresat >= @now",
            ("me", Id), ("now", Now), ("until", Now + (long)duration.TotalMilliseconds)))
        {
            renewed = await renew.ExecuteNonQueryAsync(cancellationToken);
        }

        var released = renewed == 1 ? await PutBackAsync(connection, transaction, issueId, includeOwn: false, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        return new LeaseRenewal(renewed == 1, released);
    }

    public Task ReleaseAsync(CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM senderleases WHERE id = @me", cancellationToken, ("me", Id));

    public Task ReportRateAsync(double ratePerSecond, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE senderleases SET ratepersecond = @rate WHERE id = @me", cancellationToken, ("me", Id), ("rate", ratePerSecond));

    public async Task<double?> RateAsync(long issueId, CancellationToken cancellationToken) =>
        await db.ScalarAsync("SELECT SUM(ratepersecond) FROM senderleases WHERE issueid = @issue AND expiresat >= @now",
            cancellationToken, ("issue", issueId), ("now", Now)) is double rate ? rate : null;

    /// <summary>
    /// The check a claim or record makes first, in its transaction: this instance's row, live, locked
    /// against deletion until the transaction ends. Returns the command (its one column is the id).
    /// </summary>
    public NpgsqlBatchCommand HeldCheck() => new("SELECT id FROM senderleases WHERE id = @me AND expiresat >= @now FOR SHARE")
    {
        Parameters = { new NpgsqlParameter("me", Id), new NpgsqlParameter("now", Now) },
    };

    /// <summary>
    /// Deletes the expired leases and puts back the issue's rows claimed under no live lease (and
    /// under this instance's own, if asked).
    /// </summary>
    private async Task<int> PutBackAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long issueId, bool includeOwn, CancellationToken cancellationToken)
    {
        await using (var expired = PostgresDb.Command(connection, transaction,
            "DELETE FROM senderleases WHERE expiresat < @now AND id <> @me", ("now", Now), ("me", Id)))
        {
            await expired.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var release = PostgresDb.Command(connection, transaction,
            """
            UPDATE deliveries SET status = 'Queued', claimedat = NULL, claimedby = NULL
            WHERE issueid = @issue AND status = 'Sending'
              AND (claimedby IS NULL OR (@own AND claimedby = @me)
                   OR NOT EXISTS (SELECT 1 FROM senderleases l WHERE l.id = deliveries.claimedby AND l.expiresat >= @now))
            """, ("issue", issueId), ("own", includeOwn), ("me", Id), ("now", Now));
        return await release.ExecuteNonQueryAsync(cancellationToken);
    }
}
