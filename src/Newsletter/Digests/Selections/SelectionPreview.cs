using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Subscribers;
using Newsletter.Subscribers.Preferences;
using Quartz;

namespace Newsletter.Digests.Selections;

/// <summary>One selection of the next issue: the titles its mail carries (oldest first) and how many readers get it.</summary>
public sealed record SelectionCount(IReadOnlyList<string> Titles, int Readers, bool IsWholeIssue);

/// <summary>Who gets what from the next issue: per selection, and how many readers get nothing.</summary>
public sealed record SelectionForecast(IReadOnlyList<SelectionCount> Selections, int GetSomething, int NothingForThem);

/// <summary>
/// The next issue's selections as making it at the next scheduled slot would fix them: the issue
/// and its ledger rows are made inside a transaction that is rolled back, so the one selection rule
/// (<see cref="ReaderSelections"/>) answers and the preview changes nothing.
/// </summary>
public sealed class SelectionPreview(
    NewsletterDbContext db, DigestAssembler assembler, ReaderSelections selections, IOptions<DigestOptions> digest, TimeProvider clock)
{
    public async Task<SelectionForecast> ForecastAsync(CancellationToken cancellationToken)
    {
        var options = digest.Value;
        var now = clock.GetUtcNow();
        var next = new CronExpression(options.Schedule, options.Zone).GetNextValidTimeAfter(now) ?? now;
        var slot = next.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var confirmed = await db.Subscribers.CountAsync(s => s.Status == SubscriberStatus.Confirmed, cancellationToken);
            var confirmedIds = db.Set<Subscriber>().Where(s => s.Status == SubscriberStatus.Confirmed).Select(s => s.Id);
            var chosenReaders = await db.Set<ReaderPreference>().CountAsync(p => confirmedIds.Contains(p.SubscriberId), cancellationToken);
            var wouldMonthly = await selections.MonthlyWaitingAsync(db, slot, cancellationToken);
            var issue = await db.Issues.AnyAsync(i => i.Slot == slot, cancellationToken)
                ? null
                : await assembler.MakeIssueAsync(slot, cancellationToken, evenWhenEmpty: wouldMonthly);
            if (issue is null)
            {
                return new SelectionForecast([], 0, confirmed);
            }

            await selections.FixAsync(db, issue, cancellationToken);
            var rows = await db.Set<ReaderLedgerEntry>().AsNoTracking().Where(l => l.IssueId == issue.Id)
                .Join(db.Comparisons, l => l.ComparisonId, c => c.Id, (l, c) => new { l.SubscriberId, c.Id, c.Title, c.PublishedAt })
                .OrderBy(r => r.SubscriberId).ThenBy(r => r.PublishedAt).ThenBy(r => r.Id)
                .ToListAsync(cancellationToken);
            var wholeTitles = issue.Comparisons.Count == 0 ? [] : await db.IssueComparisons.AsNoTracking().Where(ic => ic.IssueId == issue.Id)
                .OrderBy(ic => ic.Position).Select(ic => ic.Comparison!.Title).ToListAsync(cancellationToken);

            var groups = rows.GroupBy(r => r.SubscriberId).Select(g => g.Select(r => r.Title).ToList())
                .GroupBy(t => string.Join('\u001f', t)).Select(g => new SelectionCount(g.First(), g.Count(), false)).ToList();
            var chosenWithSomething = groups.Sum(g => g.Readers);
            var whole = issue.Comparisons.Count == 0 && !options.SendWhenEmpty ? 0 : confirmed - chosenReaders;
            if (whole > 0)
            {
                groups.Add(new SelectionCount(wholeTitles, whole, true));
            }

            var something = chosenWithSomething + whole;
            return new SelectionForecast([.. groups.OrderByDescending(g => g.Readers)], something, confirmed - something);
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        }
    }
}
