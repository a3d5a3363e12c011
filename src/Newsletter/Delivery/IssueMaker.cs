using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>What making an issue for a slot gave: the issue (null: nothing to send) and whether it is new.</summary>
public sealed record MadeIssue(DigestIssue? Issue, bool Created, int Recipients);

/// <summary>
/// Makes the issue of a schedule slot and snapshots its recipients, in one transaction, once per
/// slot: the schedule, POST /api/digests/send and `send-now` racing for one slot make one issue.
/// </summary>
public sealed class IssueMaker(IServiceScopeFactory scopes, ILogger<IssueMaker> logger)
{
    public async Task<MadeIssue> MakeAsync(string slot, CancellationToken cancellationToken)
    {
        try
        {
            return await MakeOnceAsync(slot, cancellationToken);
        }
        catch (DbUpdateException e) when (SqlDialect.IsUniqueViolation(e))
        {
            // A racer in another process made the slot's issue between our read and our insert.
            return await MakeOnceAsync(slot, cancellationToken);
        }
    }

    private async Task<MadeIssue> MakeOnceAsync(string slot, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var assembler = scope.ServiceProvider.GetRequiredService<DigestAssembler>();

        // SQLite's BeginTransaction is BEGIN IMMEDIATE: racers for the write lock queue here, so the
        // second one reads the issue the first one committed. On PostgreSQL (instances racing too)
        // the makers take turns on an advisory lock; the unique slot stays the last guard (caught above).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.TakeTurnAsync("newsletter.issue-maker", cancellationToken);
        var existed = await db.Issues.AnyAsync(i => i.Slot == slot, cancellationToken);
        var issue = await assembler.MakeIssueAsync(slot, cancellationToken);
        if (issue is null || existed)
        {
            await transaction.CommitAsync(cancellationToken);
            return new MadeIssue(issue, Created: false, issue?.RecipientCount ?? 0);
        }

        var recipients = await RecipientQueue.SnapshotAsync(db, issue.Id, cancellationToken);
        await IssueLifecycle.RecordRecipientsAsync(db, issue.Id, recipients, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        issue.RecipientCount = recipients;
        logger.LogInformation("Issue #{Number} made for slot {Slot}: \"{Subject}\" to {Recipients} recipients",
            issue.Number, slot, issue.Subject, recipients);
        return new MadeIssue(issue, Created: true, recipients);
    }
}
