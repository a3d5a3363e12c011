using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// Told, inside the transaction that changed them, which readers just left Confirmed (unsubscribed,
/// bounced, set to another status by an import). Subscribers owns this and calls every registered
/// one; a feature that holds mail for readers (Delivery) implements it and acts on its own tables.
/// So Subscribers writes only Subscribers and knows no feature that depends on it.
/// </summary>
public interface IReaderDepartures
{
    /// <summary>Returns how many of the listener's own rows changed (e.g. unsent mails skipped).</summary>
    Task<int> LeftConfirmedAsync(NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken);
}
