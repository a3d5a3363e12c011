using System.Data.Common;
using Npgsql;

namespace Newsletter.Delivery;

/// <summary>
/// The lease SQL on PostgreSQL: a row per instance in senderleases, taken whatever other rows are
/// live (the instances share a send). A claim or a record locks this instance's row FOR SHARE, so an
/// instance that finds the row expired and deletes it waits for that claim to commit, and its
/// put-back then sees the claimed rows. Taking or renewing the lease deletes the expired rows and
/// puts back what they had claimed: the rows of an instance that died.
/// </summary>
internal sealed class PostgresSenderLeases(PostgresDb db, TimeProvider clock) : SenderLeases<PostgresDb>(db, clock)
{
    /// <summary>Only while live: an expired row may be another instance's to delete at any moment.</summary>
    protected override string RenewSql => "UPDATE SenderLeases SET ExpiresAt = @until WHERE Id = @me AND ExpiresAt >= @now";

    public override async Task<LeaseTake> AcquireAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await Db.OpenAsync(cancellationToken);
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

    /// <summary>
    /// The check a claim or record makes first, in its transaction: this instance's row, live, locked
    /// against deletion until the transaction ends. Returns the command (its one column is the id).
    /// </summary>
    public NpgsqlBatchCommand HeldCheck() => new("SELECT id FROM senderleases WHERE id = @me AND expiresat >= @now FOR SHARE")
    {
        Parameters = { new NpgsqlParameter("me", Id), new NpgsqlParameter("now", Now) },
    };

    /// <summary>Deletes the expired leases first: the rows of an instance that died.</summary>
    protected override async Task<int> PutBackAsync(DbConnection connection, DbTransaction transaction, long issueId, bool includeOwn, CancellationToken cancellationToken)
    {
        await using (var expired = StoreDb.Command(connection, transaction,
            "DELETE FROM senderleases WHERE expiresat < @now AND id <> @me", ("now", Now), ("me", Id)))
        {
            await expired.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var release = StoreDb.Command(connection, transaction,
            """
            UPDATE deliveries SET status = 'Queued', claimedat = NULL, claimedby = NULL
            WHERE issueid = @issue AND status = 'Sending'
              AND (claimedby IS NULL OR (@own AND claimedby = @me)
                   OR NOT EXISTS (SELECT 1 FROM senderleases l WHERE l.id = deliveries.claimedby AND l.expiresat >= @now))
            """, ("issue", issueId), ("own", includeOwn), ("me", Id), ("now", Now));
        return await release.ExecuteNonQueryAsync(cancellationToken);
    }
}
