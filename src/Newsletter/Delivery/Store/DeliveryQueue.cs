using System.Data.Common;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// The queue SQL both databases share: the last look at the readers' statuses, whether an editor
/// holds the issue, and how a claimed row is read. Each database adds what differs there: how a
/// batch is claimed, how outcomes are recorded, and when the next one is due
/// (<see cref="SqliteDeliveryQueue"/>, <see cref="PostgresDeliveryQueue"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the database is the queue (ENGINEERING.md)")]
internal abstract class DeliveryQueue<TDb>(TDb db) : IDeliveryQueue
    where TDb : StoreDb
{
    /// <summary>The columns <see cref="ReadClaimed"/> reads, in its order (d: the delivery, s: its subscriber).</summary>
    protected const string ClaimedColumns = "d.Id, d.SubscriberId, d.Attempts, s.Email, s.Name, s.Status, s.UnsubscribeToken, d.Variant";

    private readonly string _statuses = $"SELECT Id, Status FROM Subscribers WHERE {SqlDialect.IdIn(db.IsPostgres, "Id", "@ids")}";

    protected TDb Db => db;

    public abstract Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, string? winner, CancellationToken cancellationToken);

    public abstract IOutcomeWriter OpenOutcomeWriter();

    public abstract Task<DateTimeOffset?> NextDueAsync(long issueId, string? winner, CancellationToken cancellationToken);

    public async Task<Dictionary<long, SubscriberStatus>> StatusesAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<long, SubscriberStatus>(subscriberIds.Count);
        await db.ReadAsync(_statuses, row => statuses[row.GetInt64(0)] = Enum.Parse<SubscriberStatus>(row.GetString(1)),
            cancellationToken, ("ids", SqlDialect.IdList(db.IsPostgres, subscriberIds)));
        return statuses;
    }

    public async Task<bool> IsHeldAsync(long issueId, CancellationToken cancellationToken) =>
        await db.ScalarAsync("SELECT 1 FROM Issues WHERE Id = @issue AND Status = 'Held'", cancellationToken, ("issue", issueId)) is not null;

    /// <summary>A row of <see cref="ClaimedColumns"/> (nulls: the subscriber was erased).</summary>
    protected static ClaimedDelivery ReadClaimed(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.IsDBNull(1) ? null : reader.GetInt64(1),
        reader.GetInt32(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : Enum.Parse<SubscriberStatus>(reader.GetString(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
