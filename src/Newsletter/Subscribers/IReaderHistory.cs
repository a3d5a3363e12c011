using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// What Subscribers (and Inbound) need to know of the mail a reader got, without reading another
/// feature's tables: whether an issue reached them between two others (a delivered issue breaks a run
/// of soft bounces), and the last issue sent to them (whose bounce a report without a VERP token is).
/// Delivery, which owns the deliveries, answers it.
/// </summary>
public interface IReaderHistory
{
    Task<bool> ReceivedBetweenAsync(NewsletterDbContext db, long subscriberId, long afterIssueId, long beforeIssueId, CancellationToken cancellationToken);

    /// <summary>The id of the newest issue sent to the reader, or null.</summary>
    Task<long?> LatestSentIssueAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken);
}
