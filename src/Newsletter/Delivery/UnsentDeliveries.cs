using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>
/// Delivery's answer when readers leave Confirmed (Subscribers tells every <see cref="IReaderDepartures"/>):
/// their deliveries still queued in an issue not yet sent become Skipped, in the transaction that
/// changed their status. A delivery already claimed is left to the sender, which looks at the status
/// again just before the mail goes out (<see cref="RecipientRecheck"/>). Delivery writes its own table;
/// Subscribers never sees it.
/// </summary>
public sealed class UnsentDeliveries : IReaderDepartures
{
    public Task<int> LeftConfirmedAsync(NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken) =>
        RecipientQueue.SkipUnsentAsync(db, subscriberIds, cancellationToken);
}
