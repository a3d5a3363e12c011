using Microsoft.EntityFrameworkCore;
using Newsletter.Clicks;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>Delivery's answer to <see cref="IIssueRecipients"/>: a delivery of the issue to the reader that went out.</summary>
public sealed class IssueRecipients : IIssueRecipients
{
    public Task<bool> WasSentAsync(NewsletterDbContext db, long issueId, long subscriberId, CancellationToken cancellationToken) =>
        db.Deliveries.AnyAsync(d => d.IssueId == issueId && d.SubscriberId == subscriberId && d.Status == DeliveryStatus.Sent, cancellationToken);
}
