using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>The issues made for a reader and what became of each mail, for the download of what we hold about them.</summary>
public sealed class ReaderDeliveriesExport : IReaderDataExport
{
    public string Part => "issues";

    public async Task<object> ExportAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken)
    {
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.SubscriberId == subscriberId)
            .Join(db.Issues, d => d.IssueId, i => i.Id, (d, i) => new { i.Number, i.Slot, i.Subject, d.Status, d.SentAt })
            .ToListAsync(cancellationToken);
        return deliveries.OrderBy(d => d.Number).Select(d => new
        {
            Issue = d.Number,
            d.Slot,
            d.Subject,
            Status = d.Status.ToString().ToLowerInvariant(),
            d.SentAt,
        }).ToList();
    }
}
