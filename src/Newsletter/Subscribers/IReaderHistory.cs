using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// What Subscribers needs to know of the mail a reader got, without reading another feature's
/// tables: whether an issue reached them between two others (a delivered issue breaks a run of soft
/// bounces). Delivery, which owns the deliveries, answers it.
/// </summary>
public interface IReaderHistory
{
    Task<bool> ReceivedBetweenAsync(NewsletterDbContext db, long subscriberId, long afterIssueId, long beforeIssueId, CancellationToken cancellationToken);
}
