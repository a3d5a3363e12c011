using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>
/// The one place an issue's status changes after it was made (Queued): each transition is one
/// guarded UPDATE, so a transition that does not apply (an issue already sent) changes nothing.
/// <code>
/// Queued ─start→ Sending ─complete→ Sent
///                  │  ↑
///             pause↓  │resume (when ResumeAt is due)
///                 Paused
/// </code>
/// </summary>
public sealed class IssueLifecycle(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IssueLifecycle> logger)
{
    /// <summary>Queued or Paused (or Sending, after a restart) → Sending.</summary>
    public async Task<bool> StartAsync(long issueId, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(
            """
            UPDATE Issues SET Status = 'Sending', StartedAt = COALESCE(StartedAt, {1}), ResumeAt = NULL
            WHERE Id = {0} AND Status IN ('Queued', 'Sending', 'Paused')
            """, cancellationToken, issueId, Now);
        return changed == 1;
    }

    /// <summary>Sending → Paused until <paramref name="resumeAt"/>: the SMTP server is unavailable.</summary>
    public async Task<bool> PauseAsync(long issueId, DateTimeOffset resumeAt, string reason, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(
            "UPDATE Issues SET Status = 'Paused', ResumeAt = {1} WHERE Id = {0} AND Status = 'Sending'",
            cancellationToken, issueId, resumeAt.ToUnixTimeMilliseconds());
        if (changed == 1)
        {
            logger.LogWarning("Issue {IssueId} paused until {ResumeAt:u}: {Reason}", issueId, resumeAt, reason);
        }

        return changed == 1;
    }

    /// <summary>Queued, Sending or Paused → Held: an editor paused the issue; nothing picks it up until released.</summary>
    public async Task<bool> HoldAsync(long issueId, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE Issues SET Status = 'Held', ResumeAt = NULL WHERE Id = {0} AND Status IN ('Queued', 'Sending', 'Paused')",
            cancellationToken, issueId) == 1;

    /// <summary>Held → Queued (the engine starts it again from where it stopped); Paused → due now.</summary>
    public async Task<bool> ReleaseAsync(long issueId, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE Issues SET Status = CASE Status WHEN 'Held' THEN 'Queued' ELSE Status END, ResumeAt = NULL WHERE Id = {0} AND Status IN ('Held', 'Paused')",
            cancellationToken, issueId) == 1;

    /// <summary>Queued or Sending → Sent, once no delivery of the issue is queued or being sent.</summary>
    public async Task<bool> CompleteAsync(long issueId, CancellationToken cancellationToken)
    {
        var changed = await ExecuteAsync(
            """
            UPDATE Issues SET Status = 'Sent', StartedAt = COALESCE(StartedAt, {1}), CompletedAt = {1}, ResumeAt = NULL
            WHERE Id = {0} AND Status IN ('Queued', 'Sending')
              AND NOT EXISTS (SELECT 1 FROM Deliveries WHERE IssueId = {0} AND Status IN ('Queued', 'Sending'))
            """, cancellationToken, issueId, Now);
        return changed == 1;
    }

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }
}
