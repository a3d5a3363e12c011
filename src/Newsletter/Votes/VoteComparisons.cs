using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Votes;

/// <summary>What a vote link needs of its comparison: the title and address to show, the tools it carries.</summary>
public sealed record VoteComparison(long Id, string Title, string Url, IReadOnlySet<string> Tools);

/// <summary>
/// The comparisons of vote links. A vote reads them fresh, in its transaction. The vote page (GET,
/// which changes nothing) takes one read at most <see cref="Fresh"/> ago: link scanners open every
/// vote link of a mail within a second, a dozen per mail and the same few comparisons in every
/// mail of an issue, and reading the comparison (its tools and reviews as JSON) for each was a
/// fifth of the product's CPU while a send ran with scanners. A comparison edited meanwhile shows
/// its old title for two seconds at most; the vote itself is checked against the stored one.
/// </summary>
public sealed class VoteComparisons(TimeProvider clock)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(2);

    // Keyed by ids from links that passed their MAC: no more entries than comparisons.
    private readonly ConcurrentDictionary<long, (DateTimeOffset At, VoteComparison? Comparison)> _recent = new();

    /// <summary>The comparisons stored now (a missing one is not in the answer).</summary>
    public static async Task<Dictionary<long, VoteComparison>> ReadAsync(NewsletterDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.Comparisons.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.Url, c.Tools })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => new VoteComparison(r.Id, r.Title, r.Url, r.Tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal)));
    }

    /// <summary>For the vote page: the comparison as read at most <see cref="Fresh"/> ago (null: none).</summary>
    public async Task<Dictionary<long, VoteComparison>> RecentAsync(NewsletterDbContext db, long id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!_recent.TryGetValue(id, out var known) || now - known.At > Fresh)
        {
            known = (now, (await ReadAsync(db, [id], cancellationToken)).GetValueOrDefault(id));
            _recent[id] = known;
        }

        return known.Comparison is { } comparison ? new() { [id] = comparison } : [];
    }
}
