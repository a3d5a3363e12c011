using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Votes;

/// <summary>Readers' votes on one tool.</summary>
public sealed record VoteTally(int Ship, int Skip)
{
    public static VoteTally None { get; } = new(0, 0);

    public int Total => Ship + Skip;

    /// <summary>Rounded share of ship votes; null when nobody voted.</summary>
    public int? ShipPercent => Total == 0 ? null : (int)Math.Round(Ship * 100.0 / Total, MidpointRounding.AwayFromZero);

    /// <summary>"75% ship (3 of 4 votes)", "no votes yet".</summary>
    public string Text => ShipPercent is { } p
        ? $"{p.ToString(CultureInfo.InvariantCulture)}% ship ({Ship.ToString(CultureInfo.InvariantCulture)} of {Total.ToString(CultureInfo.InvariantCulture)} {(Total == 1 ? "vote" : "votes")})"
        : "no votes yet";
}

/// <summary>One tool in the "Community verdicts" recap.</summary>
public sealed record RecapTool(string Name, VoteTally Tally)
{
    public string Text => Tally.Text;
}

/// <summary>One comparison of last week's issue in the recap.</summary>
public sealed record RecapComparison(string Title, string Url, IReadOnlyList<RecapTool> Tools);

/// <summary>
/// What a digest shows of the readers' votes: the tallies of the tools it carries, the minimum
/// before they count, and the recap of the previous issue's comparisons (empty: nobody voted).
/// </summary>
public sealed class CommunityVotes(IReadOnlyDictionary<(long ComparisonId, string Tool), VoteTally> tallies, int minimumToShow, IReadOnlyList<RecapComparison> recap)
{
    public static CommunityVotes None { get; } = new(new Dictionary<(long, string), VoteTally>(), int.MaxValue, []);

    public IReadOnlyList<RecapComparison> Recap => recap;

    public VoteTally Tally(long comparisonId, string tool) => tallies.TryGetValue((comparisonId, tool), out var t) ? t : VoteTally.None;

    /// <summary>The one rule for a tool's community figure: readers' split once enough voted, else the document's, else none.</summary>
    public int? ShipPercent(long comparisonId, ComparisonTool tool) =>
        Tally(comparisonId, tool.Name) is { } t && t.Total >= minimumToShow ? t.ShipPercent : tool.CommunityShipPercent;
}

/// <summary>Vote counts read from the database, set-based.</summary>
public static class VoteCounts
{
    public static async Task<Dictionary<(long ComparisonId, string Tool), VoteTally>> ForAsync(
        NewsletterDbContext db, IReadOnlyCollection<long> comparisonIds, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Vote>().AsNoTracking()
            .Where(v => comparisonIds.Contains(v.ComparisonId))
            .GroupBy(v => new { v.ComparisonId, v.Tool })
            .Select(g => new { g.Key.ComparisonId, g.Key.Tool, Ship = g.Count(v => v.Ship), Skip = g.Count(v => !v.Ship) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => (r.ComparisonId, r.Tool), r => new VoteTally(r.Ship, r.Skip));
    }

    /// <summary>
    /// The community figures for a digest carrying <paramref name="comparisons"/>, with the recap of
    /// <paramref name="last"/>, the comparisons of the issue before it (Digests, which owns issues, reads them).
    /// </summary>
    public static async Task<CommunityVotes> ForDigestAsync(
        NewsletterDbContext db, IReadOnlyList<Comparison> comparisons, IReadOnlyList<Comparison> last, int minimumToShow, CancellationToken cancellationToken)
    {
        var tallies = await ForAsync(db, [.. comparisons.Select(c => c.Id).Concat(last.Select(c => c.Id)).Distinct()], cancellationToken);
        var recap = last
            .Select(c => new RecapComparison(c.Title, c.Url, [.. c.Tools.Select(t => new RecapTool(t.Name, tallies.GetValueOrDefault((c.Id, t.Name), VoteTally.None)))]))
            .Where(c => c.Tools.Any(t => t.Tally.Total > 0))
            .ToList();
        return new CommunityVotes(tallies, minimumToShow, recap);
    }
}
