using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;

namespace Newsletter.Digests;

/// <summary>
/// The one place an issue's status changes after it was made (Queued), and what the engine asks of
/// issues. Digests owns the issues, so Delivery changes them only through here (it says when its
/// deliveries are done; it never writes the Issues table). Each transition is one guarded UPDATE (EF Core's ExecuteUpdate, so any database runs it),
/// so a transition that does not apply (an issue already sent) changes nothing.
/// <code>
/// Queued ─start→ Sending ─complete→ Sent
///                  │  ↑
///             pause↓  │resume (when ResumeAt is due)
///                 Paused
/// Queued, Sending, Paused ─hold (editor)→ Held ─release (editor)→ Queued
/// </code>
/// </summary>
public sealed class IssueLifecycle(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DigestOptions> digest, ILogger<IssueLifecycle> logger)
{
    /// <summary>What GET /api/digests/{number} says of an issue an editor paused.</summary>
    public const string HeldReason = "Paused by an editor";

    /// <summary>
    /// Queued or Paused (or Sending, after a restart) → Sending. A subject test's wait starts with
    /// the first start (the sample's sending): its end is kept, so a restart or a pause changes it not.
    /// </summary>
    public Task<bool> StartAsync(long issueId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? waitEnds = now + digest.Value.SubjectTestWait;
        return ChangeAsync(db => db.Issues
            .Where(i => i.Id == issueId && (i.Status == DigestIssueStatus.Queued || i.Status == DigestIssueStatus.Sending || i.Status == DigestIssueStatus.Paused))
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, DigestIssueStatus.Sending)
                .SetProperty(i => i.StartedAt, i => i.StartedAt ?? now)
                .SetProperty(i => i.SubjectTestEndsAt, i => i.SecondSubjectTemplate == null ? null : i.SubjectTestEndsAt ?? waitEnds)
                .SetProperty(i => i.ResumeAt, (DateTimeOffset?)null), cancellationToken));
    }

    /// <summary>
    /// Sending → Paused until <paramref name="resumeAt"/>: the SMTP server is unavailable or refuses
    /// everyone. The reason stays on the issue for GET /api/digests/{number}.
    /// </summary>
    public async Task<bool> PauseAsync(long issueId, DateTimeOffset resumeAt, string reason, CancellationToken cancellationToken)
    {
        var text = reason.Length <= 1000 ? reason : reason[..1000];
        var changed = await ChangeAsync(db => db.Issues
            .Where(i => i.Id == issueId && i.Status == DigestIssueStatus.Sending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, DigestIssueStatus.Paused)
                .SetProperty(i => i.ResumeAt, resumeAt)
                .SetProperty(i => i.PauseReason, text), cancellationToken));
        if (changed)
        {
            logger.LogWarning("Issue {IssueId} paused until {ResumeAt:u}: {Reason}", issueId, resumeAt, reason);
        }

        return changed;
    }

    /// <summary>
    /// Queued, Sending or Paused → Held: an editor paused the issue. Nothing picks it up until
    /// <see cref="ReleaseAsync"/>, across restarts and on every instance (the claimer looks before each batch).
    /// </summary>
    public async Task<bool> HoldAsync(long issueId, CancellationToken cancellationToken)
    {
        var changed = await ChangeAsync(db => db.Issues
            .Where(i => i.Id == issueId && (i.Status == DigestIssueStatus.Queued || i.Status == DigestIssueStatus.Sending || i.Status == DigestIssueStatus.Paused))
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, DigestIssueStatus.Held)
                .SetProperty(i => i.ResumeAt, (DateTimeOffset?)null)
                .SetProperty(i => i.PauseReason, HeldReason), cancellationToken));
        if (changed)
        {
            logger.LogInformation("Issue {IssueId} paused by an editor", issueId);
        }

        return changed;
    }

    /// <summary>Held → Queued (the engine goes on from where it stopped); Paused → due now.</summary>
    public async Task<bool> ReleaseAsync(long issueId, CancellationToken cancellationToken)
    {
        var changed = await ChangeAsync(db => db.Issues
            .Where(i => i.Id == issueId && (i.Status == DigestIssueStatus.Held || i.Status == DigestIssueStatus.Paused))
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, i => i.Status == DigestIssueStatus.Held ? DigestIssueStatus.Queued : i.Status)
                .SetProperty(i => i.ResumeAt, (DateTimeOffset?)null)
                .SetProperty(i => i.PauseReason, (string?)null), cancellationToken));
        if (changed)
        {
            logger.LogInformation("Issue {IssueId} resumed by an editor", issueId);
        }

        return changed;
    }

    /// <summary>
    /// Queued or Sending → Sent. The sender calls it once no delivery of the issue is queued or being
    /// sent, which stays true (no delivery goes back to the queue once none is queued or claimed),
    /// except mail held for a paused recipient domain: the issue is complete for everyone else, and
    /// resuming the domain reopens it. An issue whose subject test has no winner yet is not sent:
    /// its rest waits.
    /// </summary>
    public Task<bool> CompleteAsync(long issueId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ChangeAsync(db => db.Issues
            .Where(i => i.Id == issueId && (i.Status == DigestIssueStatus.Queued || i.Status == DigestIssueStatus.Sending)
                && (i.SecondSubjectTemplate == null || i.SubjectWinner != null))
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, DigestIssueStatus.Sent)
                .SetProperty(i => i.StartedAt, i => i.StartedAt ?? now)
                .SetProperty(i => i.CompletedAt, now)
                .SetProperty(i => i.ResumeAt, (DateTimeOffset?)null)
                .SetProperty(i => i.PauseReason, (string?)null), cancellationToken));
    }

    /// <summary>Paused (a subject test's rest waiting, say) → due now: the engine takes it up at once.</summary>
    public Task<bool> DueNowAsync(long issueId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return ChangeAsync(db => db.Issues
            .Where(i => i.Id == issueId && i.Status == DigestIssueStatus.Paused)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.ResumeAt, now), cancellationToken));
    }

    /// <summary>A list too small for a subject test: the issue goes out with its first subject (in the maker's transaction).</summary>
    public static Task DropSubjectTestAsync(NewsletterDbContext db, long issueId, CancellationToken cancellationToken) =>
        db.Issues.Where(i => i.Id == issueId).ExecuteUpdateAsync(u => u.SetProperty(i => i.SecondSubjectTemplate, (string?)null), cancellationToken);

    /// <summary>How many readers the issue went to, set once its deliveries are made (in the caller's transaction).</summary>
    public static Task RecordRecipientsAsync(NewsletterDbContext db, long issueId, int recipients, CancellationToken cancellationToken) =>
        db.Issues.Where(i => i.Id == issueId).ExecuteUpdateAsync(u => u.SetProperty(i => i.RecipientCount, recipients), cancellationToken);

    /// <summary>
    /// Sent → Queued for the issues named, so the sender takes them up again (mail held for a domain
    /// that an editor resumed), in the caller's transaction. Returns how many were reopened.
    /// </summary>
    public static Task<int> ReopenAsync(NewsletterDbContext db, IQueryable<long> issueIds, CancellationToken cancellationToken) =>
        db.Issues.Where(i => i.Status == DigestIssueStatus.Sent && issueIds.Contains(i.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, DigestIssueStatus.Queued), cancellationToken);

    public async Task<DigestIssue?> IssueAsync(long issueId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken);
    }

    /// <summary>The issue the engine should work on now: queued or sending, or paused and due to resume.</summary>
    public async Task<long?> NextIssueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return await db.Issues
            .Where(i => i.Status == DigestIssueStatus.Queued || i.Status == DigestIssueStatus.Sending
                || (i.Status == DigestIssueStatus.Paused && (i.ResumeAt == null || i.ResumeAt <= now)))
            .OrderBy(i => i.Number).Select(i => (long?)i.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The numbers of the issues an editor paused (Held), lowest first.</summary>
    public async Task<List<int>> HeldAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return await db.Issues.Where(i => i.Status == DigestIssueStatus.Held).OrderBy(i => i.Number).Select(i => i.Number).ToListAsync(cancellationToken);
    }

    /// <summary>The earliest time a paused issue is due to resume (null: none is paused).</summary>
    public async Task<DateTimeOffset?> NextResumeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var paused = await db.Issues.Where(i => i.Status == DigestIssueStatus.Paused)
            .OrderBy(i => i.ResumeAt).Select(i => new { i.ResumeAt }).FirstOrDefaultAsync(cancellationToken);
        return paused is null ? null : paused.ResumeAt ?? DateTimeOffset.UnixEpoch;
    }

    private async Task<bool> ChangeAsync(Func<NewsletterDbContext, Task<int>> update)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await update(scope.ServiceProvider.GetRequiredService<NewsletterDbContext>()) == 1;
    }
}
