using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>Delivery's answer to <see cref="IReaderHistory"/>: a sent delivery of an issue in between.</summary>
public sealed class ReaderHistory : IReaderHistory
{
    public Task<bool> ReceivedBetweenAsync(
        NewsletterDbContext db, long subscriberId, long afterIssueId, long beforeIssueId, CancellationToken cancellationToken) =>
        db.Deliveries.AnyAsync(
            d => d.SubscriberId == subscriberId && d.IssueId > afterIssueId && d.IssueId < beforeIssueId && d.Status == DeliveryStatus.Sent,
            cancellationToken);
}
