using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

/// <summary>
/// An erased reader's votes stay only as anonymous counts (the foreign key also sets this; said here
/// so it never depends on it).
/// </summary>
public sealed class ErasedReaderVotes : IReaderErasure
{
    public Task EraseAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken) =>
        db.Set<Vote>().Where(v => v.SubscriberId == subscriberId)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.SubscriberId, (long?)null), cancellationToken);
}
