namespace Newsletter.Delivery;

/// <summary>
/// The read side of the deliveries, one SQL for both databases (table and column names unquoted:
/// PostgreSQL folds them to the lower-case names its model uses).
/// </summary>
internal sealed class DeliveryReads(StoreDb db) : IDeliveryReads
{
    public async Task<DeliveryCounts> CountAsync(long issueId, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await db.ReadAsync("SELECT Status, COUNT(*) FROM Deliveries WHERE IssueId = @issue GROUP BY Status",
            row => counts[row.GetString(0)] = checked((int)row.GetInt64(1)), cancellationToken, ("issue", issueId));

        int Get(DeliveryStatus s) => counts.GetValueOrDefault(s.ToString());
        return new DeliveryCounts(Get(DeliveryStatus.Queued), Get(DeliveryStatus.Sending), Get(DeliveryStatus.Sent),
            Get(DeliveryStatus.Failed), Get(DeliveryStatus.Skipped));
    }

    public async Task<long> DepthAsync(CancellationToken cancellationToken) =>
        await db.ScalarAsync(
            """
            SELECT COUNT(*) FROM Deliveries
            WHERE IssueId IN (SELECT Id FROM Issues WHERE Status <> 'Sent') AND Status IN ('Queued', 'Sending')
            """, cancellationToken) is long n ? n : 0;
}
