using Microsoft.EntityFrameworkCore;
using Newsletter.Clicks;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>
/// Delivery's answer to <see cref="IIssueRecipients"/>: a delivery of the issue to the reader that
/// went out. Sending counts too: the server may have accepted the mail and the reader clicked it
/// before its outcome was committed (a busy send records outcomes a round of mails later), and
/// only a mail that was rendered for sending carries the reader's links.
/// </summary>
public sealed class IssueRecipients : IIssueRecipients
{
    public async Task<IReadOnlySet<long>> SentToAsync(NewsletterDbContext db, long issueId, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        if (subscriberIds.Count == 0)
        {
            return new HashSet<long>();
        }

        var ids = subscriberIds.Select(id => (long?)id).ToList();
        var sent = await db.Deliveries.Where(d => d.IssueId == issueId && ids.Contains(d.SubscriberId) && (d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Sending))
            .Select(d => d.SubscriberId!.Value).ToListAsync(cancellationToken);
        return sent.ToHashSet();
    }
}
