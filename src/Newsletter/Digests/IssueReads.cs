using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Digests;

/// <summary>
/// The issues and what each carried, read for the editors' console, which composes its pages from
/// the features' reads and never opens their tables itself.
/// </summary>
public sealed class IssueReads(NewsletterDbContext db)
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => db.Issues.CountAsync(cancellationToken);

    /// <summary>A page of issues, newest first.</summary>
    public Task<List<DigestIssue>> NewestAsync(int skip, int take, CancellationToken cancellationToken) =>
        db.Issues.AsNoTracking().OrderByDescending(i => i.Number).Skip(skip).Take(take).ToListAsync(cancellationToken);

    public Task<DigestIssue?> ByNumberAsync(int number, CancellationToken cancellationToken) =>
        db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Number == number, cancellationToken);

    public Task<long> IdAsync(int number, CancellationToken cancellationToken) =>
        db.Issues.Where(i => i.Number == number).Select(i => i.Id).SingleAsync(cancellationToken);

    /// <summary>When the first issue after <paramref name="number"/> that started did start, or null.</summary>
    public Task<DateTimeOffset?> NextStartAsync(int number, CancellationToken cancellationToken) =>
        db.Issues.Where(i => i.Number > number && i.StartedAt != null)
            .OrderBy(i => i.Number).Select(i => i.StartedAt).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The newest issue whose send is not done, or null.</summary>
    public Task<int?> NewestUnsentAsync(CancellationToken cancellationToken) =>
        db.Issues.Where(i => i.Status != DigestIssueStatus.Sent).OrderByDescending(i => i.Number)
            .Select(i => (int?)i.Number).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The comparisons an issue carried, in its order. Whole comparisons (their tools are one JSON
    /// column): SQLite cannot project into the JSON in SQL.
    /// </summary>
    public Task<List<Comparison>> CarriedAsync(int number, CancellationToken cancellationToken) =>
        db.IssueComparisons.AsNoTracking().Where(ic => ic.Issue!.Number == number).OrderBy(ic => ic.Position)
            .Select(ic => ic.Comparison!).ToListAsync(cancellationToken);

    /// <summary>The ids of the comparisons an issue carried.</summary>
    public Task<List<long>> ComparisonIdsAsync(long issueId, CancellationToken cancellationToken) =>
        db.IssueComparisons.Where(ic => ic.IssueId == issueId).Select(ic => ic.ComparisonId).ToListAsync(cancellationToken);

    /// <summary>The number of the issue that carried each of these comparisons; uncarried ones are absent.</summary>
    public async Task<Dictionary<long, int>> IssueNumbersAsync(IReadOnlyCollection<long> comparisonIds, CancellationToken cancellationToken) =>
        (await db.IssueComparisons.AsNoTracking()
            .Where(ic => comparisonIds.Contains(ic.ComparisonId))
            .Select(ic => new { ic.ComparisonId, ic.Issue!.Number })
            .ToListAsync(cancellationToken))
        .GroupBy(x => x.ComparisonId)
        .ToDictionary(g => g.Key, g => g.First().Number);
}
