using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// One mailbox, one delivery per issue: where both rows have one for the same issue, the one that
/// went furthest stays (a mail sent or on its way means the mailbox must not get a second), and the
/// other goes; the duplicate's other deliveries move to the reader that stays.
/// </summary>
public sealed class MergedReaderDeliveries : IReaderMerge
{
    public async Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken)
    {
        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => d.SubscriberId == duplicateId || d.SubscriberId == readerId)
            .Select(d => new { d.Id, d.IssueId, d.SubscriberId, d.Status })
            .ToListAsync(cancellationToken);
        var dropped = rows.GroupBy(d => d.IssueId)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.OrderByDescending(d => Progress(d.Status)).ThenBy(d => d.SubscriberId == readerId ? 0 : 1).Skip(1))
            .Select(d => d.Id)
            .ToList();
        foreach (var batch in dropped.Chunk(500))
        {
            await db.Deliveries.Where(d => batch.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        await db.Deliveries.Where(d => d.SubscriberId == duplicateId)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.SubscriberId, readerId), cancellationToken);
    }

    /// <summary>How far a delivery went: a sent mail, then one perhaps sent (claimed), then one still owed, then the rest.</summary>
    private static int Progress(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => 4,
        DeliveryStatus.Sending => 3,
        DeliveryStatus.Queued => 2,
        DeliveryStatus.Failed => 1,
        _ => 0,
    };
}
