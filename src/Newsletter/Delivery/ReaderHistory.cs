using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>Delivery's answer to <see cref="IReaderHistory"/>, read from its deliveries.</summary>
public sealed class ReaderHistory : IReaderHistory
{
    public Task<bool> ReceivedBetweenAsync(
        NewsletterDbContext db, long subscriberId, long afterIssueId, long beforeIssueId, CancellationToken cancellationToken) =>
        db.Deliveries.AnyAsync(
            d => d.SubscriberId == subscriberId && d.IssueId > afterIssueId && d.IssueId < beforeIssueId && d.Status == DeliveryStatus.Sent,
            cancellationToken);

    public Task<long?> LatestSentIssueAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken) =>
        db.Deliveries
            .Where(d => d.SubscriberId == subscriberId && d.Status == DeliveryStatus.Sent)
            .OrderByDescending(d => d.IssueId).Select(d => (long?)d.IssueId).FirstOrDefaultAsync(cancellationToken);
}
