using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Clicks;

/// <summary>The duplicate's clicks (kept with Tracking:Individual) become the reader's.</summary>
public sealed class MergedReaderClicks : IReaderMerge
{
    public Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken) =>
        db.Set<Click>().Where(c => c.SubscriberId == duplicateId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.SubscriberId, readerId), cancellationToken);
}
