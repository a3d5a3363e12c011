using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Clicks;

/// <summary>
/// An erased reader's clicks stay only as anonymous counts (the foreign key also sets this; said here
/// so it never depends on it).
/// </summary>
public sealed class ErasedReaderClicks : IReaderErasure
{
    public Task EraseAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken) =>
        db.Set<Click>().Where(c => c.SubscriberId == subscriberId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.SubscriberId, (long?)null), cancellationToken);
}
