using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// An erased reader's deliveries stay, so an issue's counts stay true, but not their SMTP errors,
/// which can quote the address.
/// </summary>
public sealed class ErasedReaderDeliveries : IReaderErasure
{
    public Task EraseAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => d.SubscriberId == subscriberId)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.LastError, (string?)null), cancellationToken);
}
