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
/// The next issue's selections as making it at the next scheduled slot now would fix them, counted
/// by the one selection rule (<see cref="ReaderSelections.CountAsync"/>, the SQL that writes the
/// ledger, read-only): nothing is made, nothing written, no write lock taken. The plan is the
/// assembler's (<see cref="DigestAssembler.PlanAsync"/>), so the draft's order and held comparisons
/// count as they will.
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

        var confirmed = await db.Subscribers.CountAsync(s => s.Status == SubscriberStatus.Confirmed, cancellationToken);
        if (await db.Issues.AnyAsync(i => i.Slot == slot, cancellationToken))
        {
            return new SelectionForecast([], 0, confirmed);
        }

        // As IssueMaker decides: no issue when there is nothing to carry, unless Digest:SendWhenEmpty
        // or a monthly reader's backlog makes one.
        var plan = await assembler.PlanAsync(cancellationToken);
        if (!plan.WouldSend && !await selections.MonthlyWaitingAsync(db, slot, cancellationToken))
        {
            return new SelectionForecast([], 0, confirmed);
        }

        var confirmedIds = db.Set<Subscriber>().Where(s => s.Status == SubscriberStatus.Confirmed).Select(s => s.Id);
        var chosenReaders = await db.Set<ReaderPreference>().CountAsync(p => confirmedIds.Contains(p.SubscriberId), cancellationToken);
        var counted = await selections.CountAsync(db, slot, plan.Comparisons, cancellationToken);

        static IEnumerable<long> Ids(string selection) => selection.Split(',').Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
        var ids = counted.SelectMany(c => Ids(c.Selection)).ToHashSet();
        var titles = await db.Comparisons.AsNoTracking().Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var groups = counted.Select(c => new SelectionCount([.. Ids(c.Selection).Select(id => titles[id])], c.Readers, false)).ToList();

        var chosenWithSomething = groups.Sum(g => g.Readers);
        var whole = plan.IsEmpty && !options.SendWhenEmpty ? 0 : confirmed - chosenReaders;
        if (whole > 0)
        {
            groups.Add(new SelectionCount([.. plan.Comparisons.Select(c => c.Title)], whole, true));
        }

        var something = chosenWithSomething + whole;
        return new SelectionForecast([.. groups.OrderByDescending(g => g.Readers).ThenBy(g => string.Join('\u001f', g.Titles), StringComparer.Ordinal)], something, confirmed - something);
    }
}
