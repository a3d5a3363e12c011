using System.Data.Common;
using System.Security.Cryptography;

namespace Newsletter.Delivery;

/// <summary>
/// The lease SQL both databases share: this engine's id, renewing, releasing, and the send rate
/// reported on the lease rows. Each database says how a lease is taken, which statement renews it
/// and how the rows of expired leases go back to the queue (<see cref="SqliteSenderLeases"/>,
/// <see cref="PostgresSenderLeases"/>): one engine at a time on SQLite, several on PostgreSQL.
/// </summary>
internal abstract class SenderLeases<TDb>(TDb db, TimeProvider clock) : ISenderLeases
    where TDb : StoreDb
{
    protected TDb Db => db;

    protected TimeProvider Clock => clock;

    /// <summary>Random and positive; new per process, so a restarted engine never owns old claims.</summary>
    public long Id { get; } = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;

    protected static string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    protected long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The statement that extends this engine's lease (parameters me, now, until); one row changed: still held.</summary>
    protected abstract string RenewSql { get; }

    public abstract Task<LeaseTake> AcquireAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken);

    public async Task<LeaseRenewal> RenewAsync(long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Now;
        int renewed;
        await using (var renew = StoreDb.Command(connection, transaction, RenewSql,
            ("me", Id), ("now", now), ("until", now + (long)duration.TotalMilliseconds)))
        {
            renewed = await renew.ExecuteNonQueryAsync(cancellationToken);
        }

        var released = renewed == 1 ? await PutBackAsync(connection, transaction, issueId, includeOwn: false, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        return new LeaseRenewal(renewed == 1, released);
    }

    public Task ReleaseAsync(CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM SenderLeases WHERE Id = @me", cancellationToken, ("me", Id));

    public Task ReportRateAsync(double ratePerSecond, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE SenderLeases SET RatePerSecond = @rate WHERE Id = @me", cancellationToken, ("me", Id), ("rate", ratePerSecond));

    public async Task<double?> RateAsync(long issueId, CancellationToken cancellationToken) =>
        await db.ScalarAsync("SELECT SUM(RatePerSecond) FROM SenderLeases WHERE IssueId = @issue AND ExpiresAt >= @now",
            cancellationToken, ("issue", issueId), ("now", Now)) is double rate ? rate : null;

    /// <summary>The issue's rows claimed under no live lease (and under this engine's own, if asked) go back to the queue.</summary>
    protected abstract Task<int> PutBackAsync(DbConnection connection, DbTransaction transaction, long issueId, bool includeOwn, CancellationToken cancellationToken);
}
