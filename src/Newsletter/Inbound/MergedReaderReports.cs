using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

/// <summary>The duplicate's bounce and complaint reports become the reader's: they are about the same mailbox.</summary>
public sealed class MergedReaderReports : IReaderMerge
{
    public Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken) =>
        db.DeliveryReports.Where(r => r.SubscriberId == duplicateId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.SubscriberId, readerId), cancellationToken);
}
