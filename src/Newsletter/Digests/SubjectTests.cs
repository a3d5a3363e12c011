using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Newsletter.Clicks;
using Newsletter.Data;
using Newsletter.Votes;

namespace Newsletter.Digests;

/// <summary>A subject test's sample as the sender fixed and sent it, asked by Digests (Delivery answers).</summary>
public interface ISubjectTestSample
{
    Task<SubjectTestSample> ForIssueAsync(long issueId, CancellationToken cancellationToken);
}

/// <summary>A reader of the sample whose mail went out: their id and the key their links carry.</summary>
public readonly record struct SampleReader(long Id, string Token);

/// <summary>Per half: how many readers it holds and the ones whose mail was sent; how many wait in the rest.</summary>
public sealed record SubjectTestSample(int FirstReaders, IReadOnlyList<SampleReader> FirstSent, int SecondReaders, IReadOnlyList<SampleReader> SecondSent, int RestReaders);

/// <summary>One half of a subject test: its subject, readers, mails sent, readers who answered (clicked or voted).</summary>
public sealed record SubjectHalf(string Subject, int Readers, int Sent, int Answered)
{
    /// <summary>Answered readers per mail sent; null before any went out.</summary>
    public double? Rate => Sent == 0 ? null : (double)Answered / Sent;
}

/// <summary>A subject test as the console and the API show it. Winner: "A", "B", or null while the rest waits.</summary>
public sealed record SubjectTestView(SubjectHalf First, SubjectHalf Second, int Rest, DateTimeOffset? EndsAt, string? Winner, string? WinnerBy, DateTimeOffset? DecidedAt)
{
    public string? WinningSubject => Winner switch { SubjectTests.First => First.Subject, SubjectTests.Second => Second.Subject, _ => null };
}

/// <summary>
/// The subject test of an issue (a draft with a second subject): its figures, and the winner. The
/// rule is here, once: the half with the higher rate of readers who clicked one of the issue's
/// tracked links or voted on one of its comparisons wins; a tie, or fewer than
/// <see cref="MinimumAnswers"/> answers in both halves together, keeps the first subject. The winner
/// is named by one conditional update (only while none is named), so the wait's end and an editor
/// picking early may race and exactly one wins; the sender claims the rest only once it is named.
/// </summary>
public sealed class SubjectTests(
    NewsletterDbContext db, ISubjectTestSample sample, IssueClicks clicks, VoteReads votes, TimeProvider clock, ILogger<SubjectTests> logger)
{
    public const string First = "A";
    public const string Second = "B";

    /// <summary>
    /// Fewer answers than this in the two halves together keep the first subject: below ten, one or
    /// two readers' clicks would decide what the whole rest of the list gets, which is noise, not a finding.
    /// </summary>
    public const int MinimumAnswers = 10;

    /// <summary>The issue of that number (null: none).</summary>
    public Task<DigestIssue?> IssueAsync(int number, CancellationToken cancellationToken) =>
        db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Number == number, cancellationToken);

    /// <summary>The test's figures (null: the issue runs none).</summary>
    public async Task<SubjectTestView?> FiguresAsync(DigestIssue issue, CancellationToken cancellationToken)
    {
        if (issue.SecondSubjectTemplate is null)
        {
            return null;
        }

        var s = await sample.ForIssueAsync(issue.Id, cancellationToken);
        var comparisons = await db.IssueComparisons.AsNoTracking().Where(ic => ic.IssueId == issue.Id).OrderBy(ic => ic.Position)
            .Select(ic => new { ic.ComparisonId, ic.Comparison!.Title }).ToListAsync(cancellationToken);
        var answered = new HashSet<long>();
        if (s.FirstSent.Count + s.SecondSent.Count > 0)
        {
            answered.UnionWith(await clicks.ReadersWhoClickedAsync(issue.Id, [.. s.FirstSent.Concat(s.SecondSent).Select(r => (r.Id, r.Token))], cancellationToken));
            answered.UnionWith(await votes.VotersAsync([.. comparisons.Select(c => c.ComparisonId)], issue.StartedAt ?? issue.CreatedAt, cancellationToken));
        }

        var second = DraftSubject.Fill(issue.SecondSubjectTemplate, issue.Number, comparisons.FirstOrDefault()?.Title);
        return new SubjectTestView(
            new SubjectHalf(issue.Subject, s.FirstReaders, s.FirstSent.Count, s.FirstSent.Count(r => answered.Contains(r.Id))),
            new SubjectHalf(second, s.SecondReaders, s.SecondSent.Count, s.SecondSent.Count(r => answered.Contains(r.Id))),
            s.RestReaders, issue.SubjectTestEndsAt, issue.SubjectWinner, issue.SubjectWinnerBy, issue.SubjectDecidedAt);
    }

    /// <summary>The rule: which half wins, and why (in words for the console).</summary>
    public static (string Winner, string Why) Decide(SubjectHalf first, SubjectHalf second)
    {
        if (first.Answered + second.Answered < MinimumAnswers)
        {
            return (First, $"too few answers ({first.Answered + second.Answered}, fewer than {MinimumAnswers}): the first subject stays");
        }

        var a = first.Rate ?? 0;
        var b = second.Rate ?? 0;
        return b > a
            ? (Second, $"the second subject's rate {Percent(b)} beat the first's {Percent(a)}")
            : (First, a == b ? $"a tie at {Percent(a)}: the first subject stays" : $"the first subject's rate {Percent(a)} beat the second's {Percent(b)}");
    }

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>
    /// When the issue's wait has ended and no winner is named: decides by the rule and names it.
    /// Returns whether the issue now has a winner (or runs no test).
    /// </summary>
    public async Task<bool> DecideIfDueAsync(long issueId, CancellationToken cancellationToken)
    {
        var issue = await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken);
        if (issue is null || issue.SecondSubjectTemplate is null || issue.SubjectWinner is not null)
        {
            return true;
        }

        if (issue.SubjectTestEndsAt is not { } ends || ends > clock.GetUtcNow())
        {
            return false;
        }

        var figures = (await FiguresAsync(issue, cancellationToken))!;
        var (winner, why) = Decide(figures.First, figures.Second);
        if (await NameAsync(issueId, winner, $"the wait ended: {why}", cancellationToken))
        {
            logger.LogInformation("Issue #{Number}: subject test decided, {Winner} wins ({Why}); the rest ({Rest}) goes with \"{Subject}\"",
                issue.Number, winner, why, figures.Rest, winner == Second ? figures.Second.Subject : figures.First.Subject);
        }

        return true;
    }

    /// <summary>An editor picks the winner before the wait ends. False: a winner was named already (nothing changes).</summary>
    public async Task<bool> PickAsync(long issueId, string winner, string editor, CancellationToken cancellationToken)
    {
        if (winner is not (First or Second))
        {
            throw new ArgumentOutOfRangeException(nameof(winner), winner, "A or B");
        }

        var picked = await NameAsync(issueId, winner, $"picked by {editor}", cancellationToken);
        if (picked)
        {
            logger.LogInformation("Issue {IssueId}: subject test winner {Winner} picked by {Editor}", issueId, winner, editor);
        }

        return picked;
    }

    /// <summary>The one conditional update that names the winner: only while none is named.</summary>
    private async Task<bool> NameAsync(long issueId, string winner, string by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var text = by.Length <= 300 ? by : by[..300];
        return await db.Issues
            .Where(i => i.Id == issueId && i.SecondSubjectTemplate != null && i.SubjectWinner == null)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.SubjectWinner, winner)
                .SetProperty(i => i.SubjectWinnerBy, text)
                .SetProperty(i => i.SubjectDecidedAt, now), cancellationToken) == 1;
    }
}
