namespace Newsletter.Clicks;

/// <summary>
/// Which of some readers an issue was sent to, so that a click counts only for the issue's
/// recipients (an older mail's reader part spliced onto a newer link is redirected, never
/// counted). Delivery, which owns the deliveries, answers it; Clicks must not read its tables.
/// </summary>
public interface IIssueRecipients
{
    /// <summary>Those of <paramref name="subscriberIds"/> the issue went out to (one query for a batch of clicks).</summary>
    Task<IReadOnlySet<long>> SentToAsync(Data.NewsletterDbContext db, long issueId, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken);
}
