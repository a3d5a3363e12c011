using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Votes;

/// <summary>The votes read for the editors' console (which never opens the table itself).</summary>
public sealed class VoteReads(NewsletterDbContext db)
{
    /// <summary>Ship and skip per comparison and tool.</summary>
    public Task<Dictionary<(long ComparisonId, string Tool), VoteTally>> TalliesAsync(IReadOnlyCollection<long> comparisonIds, CancellationToken cancellationToken) =>
        VoteCounts.ForAsync(db, comparisonIds, cancellationToken);

    /// <summary>All votes on these comparisons together.</summary>
    public Task<int> CountAsync(IReadOnlyCollection<long> comparisonIds, CancellationToken cancellationToken) =>
        db.Set<Vote>().CountAsync(v => comparisonIds.Contains(v.ComparisonId), cancellationToken);

    /// <summary>The votes on each of these comparisons (absent: none).</summary>
    public Task<Dictionary<long, int>> PerComparisonAsync(IReadOnlyCollection<long> comparisonIds, CancellationToken cancellationToken) =>
        db.Set<Vote>().Where(v => comparisonIds.Contains(v.ComparisonId))
            .GroupBy(v => v.ComparisonId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    /// <summary>The readers who voted on one of these comparisons since then (a subject test's answers).</summary>
    public async Task<HashSet<long>> VotersAsync(IReadOnlyCollection<long> comparisonIds, DateTimeOffset since, CancellationToken cancellationToken) =>
        [.. await db.Set<Vote>().AsNoTracking()
            .Where(v => comparisonIds.Contains(v.ComparisonId) && v.VotedAt >= since && v.SubscriberId != null)
            .Select(v => v.SubscriberId!.Value).Distinct().ToListAsync(cancellationToken)];
}
