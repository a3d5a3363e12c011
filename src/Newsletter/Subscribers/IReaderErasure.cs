using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// Told, inside the erasure's transaction and before the subscriber row goes, that a reader is being
/// erased. Each feature that keeps something of a reader (Delivery's SMTP errors, Inbound's reports,
/// Votes, Clicks) implements it and erases that from its own tables, as <see cref="IReaderDepartures"/>
/// does for departures: Subscribers writes only Subscribers and names none of them.
/// </summary>
public interface IReaderErasure
{
    Task EraseAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken);
}
