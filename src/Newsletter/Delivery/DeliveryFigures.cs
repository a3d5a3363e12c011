using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>A send-path refusal of one mail: the failure's reason, the reader's address (null once erased), the server's words.</summary>
public sealed record DeliveryFailure(string Reason, string? Email, string? LastError);

/// <summary>One issue that was meant for a reader, and what became of it.</summary>
public sealed record ReaderDelivery(int Number, string Subject, DeliveryStatus Status, DateTimeOffset? SentAt, string? LastError);

/// <summary>
/// The deliveries read for the editors' console: counts per issue and status, the readers of an
/// issue, its refusals, a reader's history, the mail held for paused domains. The console composes
/// its pages from these and never opens the table itself.
/// </summary>
public sealed class DeliveryFigures(NewsletterDbContext db)
{
    /// <summary>How many deliveries of each of these issues are in each status (absent: none).</summary>
    public async Task<Dictionary<(long IssueId, DeliveryStatus Status), int>> StatusCountsAsync(IReadOnlyCollection<long> issueIds, CancellationToken cancellationToken) =>
        (await db.Deliveries.Where(d => issueIds.Contains(d.IssueId))
            .GroupBy(d => new { d.IssueId, d.Status })
            .Select(g => new { g.Key.IssueId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken))
        .ToDictionary(c => (c.IssueId, c.Status), c => c.Count);

    /// <summary>Readers the issue was sent to (or refused for) who match <paramref name="which"/>.</summary>
    public Task<int> ReadersAsync(long issueId, Expression<Func<Subscriber, bool>> which, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => d.IssueId == issueId && (d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Failed))
            .Join(db.Subscribers, d => d.SubscriberId, s => (long?)s.Id, (d, s) => s)
            .Where(which)
            .CountAsync(cancellationToken);

    /// <summary>The issue's mails the send path gave a failure reason.</summary>
    public async Task<List<DeliveryFailure>> FailuresAsync(long issueId, CancellationToken cancellationToken) =>
        (await db.Deliveries.AsNoTracking()
            .Where(d => d.IssueId == issueId && d.FailureReason != null)
            .Select(d => new { d.FailureReason, Email = db.Set<Subscriber>().Where(s => s.Id == d.SubscriberId).Select(s => s.Email).FirstOrDefault(), d.LastError })
            .ToListAsync(cancellationToken))
        .Select(d => new DeliveryFailure(d.FailureReason!, d.Email, d.LastError))
        .ToList();

    /// <summary>Every issue that was meant for the reader, newest first.</summary>
    public async Task<List<ReaderDelivery>> HistoryAsync(long subscriberId, CancellationToken cancellationToken) =>
        (await db.Deliveries.Where(d => d.SubscriberId == subscriberId)
            .Join(db.Issues, d => d.IssueId, i => i.Id, (d, i) => new { i.Number, i.Subject, d.Status, d.SentAt, d.LastError })
            .OrderByDescending(x => x.Number)
            .ToListAsync(cancellationToken))
        .Select(x => new ReaderDelivery(x.Number, x.Subject, x.Status, x.SentAt, x.LastError))
        .ToList();

    /// <summary>How many of this issue's mails wait for each paused domain.</summary>
    public Task<Dictionary<string, int>> HeldForIssueAsync(long issueId, CancellationToken cancellationToken) =>
        DomainPauses.HeldForIssueAsync(db, issueId, cancellationToken);
}
