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

    /// <summary>The editors' draft this plan was made from (an empty one: no note, generated subject, publication order).</summary>
    public DigestDraft Draft { get; init; } = new() { Id = DigestDraft.TheDraft };

    /// <summary>Published, not carried yet, and held back by the editors: they wait for a later issue.</summary>
    public IReadOnlyList<Comparison> Held { get; init; } = [];

    /// <summary>What the issue made from this plan holds: the comparisons, the note and the subject's template.</summary>
    public DigestContent Content(DateTimeOffset date) =>
        new(Number, Subject, date, Comparisons) { Note = Draft.Note, SubjectTemplate = Draft.Subject };
}

/// <summary>
/// The assembly rule, in one place: the next digest carries every published comparison that no
/// issue carries yet, oldest first, at most Digest:MaxComparisons; the rest wait. A comparison
/// published late or back-dated is still uncarried, so it goes next time; the unique index on
/// IssueComparisons.ComparisonId makes "never twice" a fact of the database. The editors' draft
/// (<see cref="DigestDraft"/>) changes the order and holds some back; held ones stay uncarried.
/// </summary>
public sealed class DigestAssembler(
    NewsletterDbContext db, IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, TimeProvider clock,
    DigestRenderer renderer)
{
    /// <summary>The next digest as it would go out now. Changes nothing (previews use this).</summary>
    public async Task<DigestPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var draft = await db.Drafts.AsNoTracking().SingleOrDefaultAsync(d => d.Id == DigestDraft.TheDraft, cancellationToken)
            ?? new DigestDraft { Id = DigestDraft.TheDraft };
        var held = DigestDraft.Slugs(draft.Held).ToList();
        var order = DigestDraft.Slugs(draft.Order).ToList();
        var uncarried = db.Comparisons.AsNoTracking()
            .Where(c => c.PublishedAt <= now && !db.Set<DigestIssueComparison>().Any(ic => ic.ComparisonId == c.Id));
        var max = digest.Value.MaxComparisons;

        // The editors' order first (those still uncarried and not held), then the rest, oldest first.
        var ordered = (await uncarried.Where(c => order.Contains(c.Slug) && !held.Contains(c.Slug)).ToListAsync(cancellationToken))
            .OrderBy(c => order.IndexOf(c.Slug)).Take(max).ToList();
        var rest = await uncarried.Where(c => !order.Contains(c.Slug) && !held.Contains(c.Slug))
            .OrderBy(c => c.PublishedAt).ThenBy(c => c.Id)
            .Take(max - ordered.Count)
            .ToListAsync(cancellationToken);
        List<Comparison> comparisons = [.. ordered, .. rest];
        var heldBack = held.Count == 0 ? [] : await uncarried.Where(c => held.Contains(c.Slug)).OrderBy(c => c.PublishedAt).ToListAsync(cancellationToken);
        var number = (await db.Issues.MaxAsync(i => (int?)i.Number, cancellationToken) ?? 0) + 1;
        var count = await uncarried.CountAsync(cancellationToken);
        return new DigestPlan(
            number, SubjectOf(number, comparisons, draft.Subject), comparisons,
            Waiting: Math.Max(0, count - comparisons.Count),
            WouldSend: comparisons.Count > 0 || digest.Value.SendWhenEmpty)
        {
            Draft = draft,
            Held = heldBack,
        };
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

        // Take the draft's row lock before reading it: an editor's save that comes while the issue is
        // being made waits, then finds the version changed and is told (it would otherwise be emptied unseen).
        await db.Drafts.Where(d => d.Id == DigestDraft.TheDraft)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Version, d => d.Version), cancellationToken);
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
            SubjectTemplate = plan.Draft.Subject,
            SecondSubjectTemplate = plan.Draft.SecondSubject,
            Note = plan.Draft.Note,
            Status = DigestIssueStatus.Queued,
            CreatedAt = clock.GetUtcNow(),
            Comparisons = [.. plan.Comparisons.Select((c, i) => new DigestIssueComparison { ComparisonId = c.Id, Position = i })],
        };
        issue.WebHtml = renderer.RenderWeb(await renderer.WithCommunityAsync(db, plan.Content(issue.CreatedAt), cancellationToken));
        db.Issues.Add(issue);
        await db.SaveChangesAsync(cancellationToken);

        // The draft became this issue: the next one starts from an empty draft (in the maker's
        // transaction, so an issue and its emptied draft commit together). The version goes on up.
        await db.Drafts.Where(d => d.Id == DigestDraft.TheDraft).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Note, (string?)null)
            .SetProperty(d => d.Subject, (string?)null)
            .SetProperty(d => d.SecondSubject, (string?)null)
            .SetProperty(d => d.Order, "")
            .SetProperty(d => d.Held, "")
            .SetProperty(d => d.Version, d => d.Version + 1), cancellationToken);
        return issue;
    }

    /// <summary>The editors' subject with its placeholders filled, or the generated one.</summary>
    public string SubjectOf(int number, IReadOnlyList<Comparison> comparisons, string? template) =>
        string.IsNullOrWhiteSpace(template) ? Subject(number, comparisons) : DraftSubject.Fill(template, number, comparisons.Count > 0 ? comparisons[0].Title : null);

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
