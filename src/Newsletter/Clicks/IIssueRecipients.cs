namespace Newsletter.Clicks;

/// <summary>
/// Whether an issue was sent to a reader, so that a click counts only for the issue's recipients
/// (an older mail's reader part spliced onto a newer link is redirected, never counted). Delivery,
/// which owns the deliveries, answers it; Clicks must not read its tables.
/// </summary>
public interface IIssueRecipients
{
    Task<bool> WasSentAsync(Data.NewsletterDbContext db, long issueId, long subscriberId, CancellationToken cancellationToken);
}
