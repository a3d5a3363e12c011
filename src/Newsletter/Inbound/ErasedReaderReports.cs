using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

/// <summary>An erased reader's reports stay counted, without the diagnostic (which can quote the address).</summary>
public sealed class ErasedReaderReports : IReaderErasure
{
    public Task EraseAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken) =>
        db.DeliveryReports.Where(r => r.SubscriberId == subscriberId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Diagnostic, "(erased)"), cancellationToken);
}
