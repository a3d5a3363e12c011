using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Links;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

public enum VoteOutcome
{
    /// <summary>Not a link we made, or its comparison or tool is gone.</summary>
    Invalid,
    /// <summary>The reader unsubscribed, bounced or was erased: only subscribers vote.</summary>
    NotSubscribed,
    Ready,
}

/// <summary>What a vote link points at, and the tool's split (after the vote, once recorded).</summary>
public sealed record VoteTarget(VoteOutcome Outcome, string? ComparisonTitle = null, string? ComparisonUrl = null, string? Tool = null, bool Ship = true, VoteTally? Tally = null);

/// <summary>Reads vote links and records votes: one per reader and tool, a later one replacing it.</summary>
public sealed class Voting(NewsletterDbContext db, LinkKeys keys, TimeProvider clock, ILogger<Voting> logger)
{
    /// <summary>For GET /vote: what the link would record. Changes nothing.</summary>
    public async Task<VoteTarget> FindAsync(string? token, CancellationToken cancellationToken) =>
        (await ResolveAsync(token, cancellationToken)).Target;

    /// <summary>For POST /vote: records the reader's vote (<paramref name="ship"/> overrides the link's choice when given).</summary>
    public async Task<VoteTarget> RecordAsync(string? token, bool? ship, CancellationToken cancellationToken)
    {
        var (target, comparisonId, subscriberId) = await ResolveAsync(token, cancellationToken);
        if (target.Outcome != VoteOutcome.Ready)
        {
            return target;
        }

        var choice = ship ?? target.Ship;
        var votes = db.Set<Vote>();
        for (var attempt = 0; ; attempt++)
        {
            var vote = await votes.SingleOrDefaultAsync(v => v.ComparisonId == comparisonId && v.Tool == target.Tool && v.SubscriberId == subscriberId, cancellationToken);
            if (vote is null)
            {
                votes.Add(new Vote { ComparisonId = comparisonId, Tool = target.Tool!, SubscriberId = subscriberId, Ship = choice, VotedAt = clock.GetUtcNow() });
            }
            else
            {
                vote.Ship = choice;
                vote.VotedAt = clock.GetUtcNow();
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // The same reader's other tab inserted first: replace theirs.
                db.ChangeTracker.Clear();
            }
        }

        logger.LogInformation("Vote recorded on comparison {ComparisonId}", comparisonId);
        var tally = (await VoteCounts.ForAsync(db, [comparisonId], cancellationToken)).GetValueOrDefault((comparisonId, target.Tool!), VoteTally.None);
        return target with { Ship = choice, Tally = tally };
    }

    private async Task<(VoteTarget Target, long ComparisonId, long SubscriberId)> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        var read = VoteToken.Read(await keys.GetAsync(cancellationToken), token);
        if (read is not { } link)
        {
            return (new VoteTarget(VoteOutcome.Invalid), 0, 0);
        }

        var comparison = await db.Comparisons.AsNoTracking().SingleOrDefaultAsync(c => c.Id == link.Choice.ComparisonId, cancellationToken);
        if (comparison is null || !comparison.Tools.Any(t => t.Name == link.Choice.Tool))
        {
            return (new VoteTarget(VoteOutcome.Invalid), 0, 0);
        }

        var target = new VoteTarget(VoteOutcome.Ready, comparison.Title, comparison.Url, link.Choice.Tool, link.Choice.Ship);
        var subscriber = await db.Subscribers.AsNoTracking()
            .Where(s => s.UnsubscribeToken == link.UnsubscribeToken)
            .Select(s => new { s.Id, s.Status })
            .SingleOrDefaultAsync(cancellationToken);
        return subscriber is { Status: SubscriberStatus.Confirmed }
            ? (target, comparison.Id, subscriber.Id)
            : (target with { Outcome = VoteOutcome.NotSubscribed }, 0, 0);
    }
}
