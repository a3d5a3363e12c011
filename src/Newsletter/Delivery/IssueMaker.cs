using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Digests.Selections;

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

        // Readers' choices (Digests/Selections): a month's first slot makes an issue for monthly
        // readers' backlog even when there is nothing new.
        var selections = scope.ServiceProvider.GetRequiredService<ReaderSelections>();
        var forMonthly = !existed && await selections.MonthlyWaitingAsync(db, slot, cancellationToken);
        var issue = await assembler.MakeIssueAsync(slot, cancellationToken, evenWhenEmpty: forMonthly);
        if (issue is null || existed)
        {
            await transaction.CommitAsync(cancellationToken);
            return new MadeIssue(issue, Created: false, issue?.RecipientCount ?? 0);
        }

        // Readers' choices: what each chosen reader's mail carries is fixed before the snapshot, and
        // the deliveries of readers it gives nothing go after it, all in this transaction.
        await selections.FixAsync(db, issue, cancellationToken);
        var recipients = await RecipientQueue.SnapshotAsync(db, issue.Id, cancellationToken);
        var nothing = await RecipientQueue.DropAsync(db, issue.Id, selections.NothingForThem(issue), cancellationToken);
        recipients -= nothing;
        var chosen = await selections.ChosenAsync(db, issue, cancellationToken);

        // A subject test: each delivery's variant is fixed now, with the snapshot.
        if (issue.SecondSubjectTemplate is not null)
        {
            var digest = scope.ServiceProvider.GetRequiredService<IOptions<DigestOptions>>().Value;
            if (await SubjectTestVariants.FixAsync(db, issue.Id, recipients, digest, cancellationToken) is { } half)
            {
                logger.LogInformation("Issue #{Number}: subject test, {Half} readers per subject, then the rest ({Rest}) with the winner's",
                    issue.Number, half, recipients - 2 * half);
            }
            else
            {
                logger.LogWarning("Issue #{Number}: {Recipients} recipients are too few for a subject test (two halves of Digest:SubjectTestMinimum = {Minimum} and a rest); everyone gets the first subject",
                    issue.Number, recipients, digest.SubjectTestMinimum);
                await IssueLifecycle.DropSubjectTestAsync(db, issue.Id, cancellationToken);
                issue.SecondSubjectTemplate = null;
            }
        }

        await IssueLifecycle.RecordRecipientsAsync(db, issue.Id, recipients, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        issue.RecipientCount = recipients;
        logger.LogInformation("Issue #{Number} made for slot {Slot}: \"{Subject}\" to {Recipients} recipients ({Chosen} by their own choice, nothing for {Nothing})",
            issue.Number, slot, issue.Subject, recipients, chosen, nothing);
        return new MadeIssue(issue, Created: true, recipients);
    }
}
