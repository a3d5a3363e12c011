using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

/// <summary>A vote link read from its token: the choice it names and whose mail it came in.</summary>
public sealed record VoteLink(VoteChoice Choice, string UnsubscribeToken);

/// <summary>What a link would record, with the ids to record it by (0 unless Ready).</summary>
internal sealed record ResolvedVote(VoteTarget Target, long ComparisonId, long SubscriberId);

/// <summary>
/// The one rule for whom a vote link lets vote: the comparison must still carry the tool (else the
/// link is invalid) and the reader must be confirmed (else only subscribers vote). Set-based, so
/// the page of one link and a batch of recorded votes read it the same way.
/// </summary>
internal static class VoteTargets
{
    /// <param name="comparisons">The links' comparisons (<see cref="VoteComparisons"/>); one missing makes its links invalid.</param>
    public static async Task<IReadOnlyList<ResolvedVote>> ResolveAsync(
        NewsletterDbContext db, IReadOnlyList<VoteLink> links, IReadOnlyDictionary<long, VoteComparison> comparisons, CancellationToken cancellationToken)
    {
        var tokens = links.Select(l => l.UnsubscribeToken).Distinct(StringComparer.Ordinal).ToList();
        var readers = await db.Subscribers.AsNoTracking()
            .Where(s => tokens.Contains(s.UnsubscribeToken))
            .Select(s => new { s.Id, s.Status, s.UnsubscribeToken })
            .ToDictionaryAsync(s => s.UnsubscribeToken, StringComparer.Ordinal, cancellationToken);

        return [.. links.Select(link =>
        {
            if (!comparisons.TryGetValue(link.Choice.ComparisonId, out var comparison) || !comparison.Tools.Contains(link.Choice.Tool))
            {
                return new ResolvedVote(new VoteTarget(VoteOutcome.Invalid), 0, 0);
            }

            var target = new VoteTarget(VoteOutcome.Ready, comparison.Title, comparison.Url, link.Choice.Tool, link.Choice.Ship);
            return readers.GetValueOrDefault(link.UnsubscribeToken) is { Status: SubscriberStatus.Confirmed } reader
                ? new ResolvedVote(target, comparison.Id, reader.Id)
                : new ResolvedVote(target with { Outcome = VoteOutcome.NotSubscribed }, 0, 0);
        })];
    }
}
