using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Hosting;

namespace Newsletter.Digests;

/// <summary>
/// What the next issue would be: its number, subject and the comparisons it carries; how many more
/// wait behind the cap; and whether it would go out at all (Digest:SendWhenEmpty).
/// </summary>
public sealed record DigestPlan(int Number, string Subject, IReadOnlyList<Comparison> Comparisons, int Waiting, bool WouldSend)
{
    public bool IsEmpty => Comparisons.Count == 0;
}

/// <summary>
/// The assembly rule, in one place: the next digest carries every published comparison that no
/// issue carries yet, oldest first, at most Digest:MaxComparisons; the rest wait. A comparison
/// published late or back-dated is still uncarried, so it goes next time; the unique index on
/// IssueComparisons.ComparisonId makes "never twice" a fact of the database.
/// </summary>
public sealed class DigestAssembler(
    NewsletterDbContext db, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, TimeProvider clock,
    DigestRenderer renderer)
{
    /// <summary>The next digest as it would go out now. Changes nothing (previews use this).</summary>
    public async Task<DigestPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var comparisons = await db.Comparisons
            .Where(c => c.PublishedAt <= now && !db.Set<DigestIssueComparison>().Any(ic => ic.ComparisonId == c.Id))
            .OrderBy(c => c.PublishedAt).ThenBy(c => c.Id)
            .Take(digest.Value.MaxComparisons)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var number = (await db.Issues.MaxAsync(i => (int?)i.Number, cancellationToken) ?? 0) + 1;
        var uncarried = await db.Comparisons.CountAsync(
            c => c.PublishedAt <= now && !db.Set<DigestIssueComparison>().Any(ic => ic.ComparisonId == c.Id), cancellationToken);
        return new DigestPlan(
            number, Subject(number, comparisons), comparisons,
            Waiting: Math.Max(0, uncarried - comparisons.Count),
            WouldSend: comparisons.Count > 0 || digest.Value.SendWhenEmpty);
    }

    /// <summary>
    /// Makes the issue for a schedule slot: the existing one when the slot already has an issue,
    /// null when there is nothing new and Digest:SendWhenEmpty is false. Call it inside a
    /// transaction that also snapshots the recipients, so an issue never exists without them.
    /// <paramref name="evenWhenEmpty"/>: monthly readers have something waiting (Digests/Selections).
    /// </summary>
    public async Task<DigestIssue?> MakeIssueAsync(string slot, CancellationToken cancellationToken, bool evenWhenEmpty = false)
    {
        var existing = await db.Issues.SingleOrDefaultAsync(i => i.Slot == slot, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var plan = await PlanAsync(cancellationToken);
        if (!plan.WouldSend && !evenWhenEmpty)
        {
            return null;
        }

        var issue = new DigestIssue
        {
            Number = plan.Number,
            Slot = slot,
            Subject = plan.Subject,
            Status = DigestIssueStatus.Queued,
            CreatedAt = clock.GetUtcNow(),
            Comparisons = [.. plan.Comparisons.Select((c, i) => new DigestIssueComparison { ComparisonId = c.Id, Position = i })],
        };
        issue.WebHtml = renderer.RenderWeb(await renderer.WithCommunityAsync(db, new DigestContent(issue.Number, issue.Subject, issue.CreatedAt, plan.Comparisons), cancellationToken));
        db.Issues.Add(issue);
        await db.SaveChangesAsync(cancellationToken);
        return issue;
    }

    /// <summary>"AI Tool Verdicts #3: Lead comparison + 2 more".</summary>
    public string Subject(int number, IReadOnlyList<Comparison> comparisons)
    {
        var subject = $"{newsletter.Value.Name} #{number}";
        return comparisons.Count switch
        {
            0 => subject,
            1 => $"{subject}: {comparisons[0].Title}",
            _ => $"{subject}: {comparisons[0].Title} + {comparisons.Count - 1} more",
        };
    }
}
