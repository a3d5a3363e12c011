using Microsoft.EntityFrameworkCore;
using Newsletter.Clicks;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>Delivery's answer to <see cref="IIssueRecipients"/>: a delivery of the issue to the reader that went out.</summary>
public sealed class IssueRecipients : IIssueRecipients
{
    public async Task<IReadOnlySet<long>> SentToAsync(NewsletterDbContext db, long issueId, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        if (subscriberIds.Count == 0)
        {
            return new HashSet<long>();
        }

        var ids = subscriberIds.Select(id => (long?)id).ToList();
        var sent = await db.Deliveries.Where(d => d.IssueId == issueId && ids.Contains(d.SubscriberId) && d.Status == DeliveryStatus.Sent)
            .Select(d => d.SubscriberId!.Value).ToListAsync(cancellationToken);
        return sent.ToHashSet();
    }
}
