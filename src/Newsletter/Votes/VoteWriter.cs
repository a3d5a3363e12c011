using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Votes;

/// <summary>One POST /vote: the link it came through and the reader's choice (the link's, unless the form said otherwise).</summary>
public sealed record VoteRequest(VoteLink Link, bool Ship);

/// <summary>
/// Records votes by group commit (<see cref="GroupCommit{TRequest,TResult}"/>): every vote waiting
/// is checked (<see cref="VoteTargets"/>), written and tallied in one transaction, and each voter
/// is answered once it is committed. One vote per reader and tool: a later one replaces it, in a
/// batch too (the last of a reader's votes on a tool wins).
/// </summary>
public sealed partial class VoteWriter(IServiceScopeFactory scopes, TimeProvider clock, ILogger<VoteWriter> logger)
    : GroupCommit<VoteRequest, VoteTarget>(scopes, logger)
{
    protected override async Task<IReadOnlyList<VoteTarget>> CommitAsync(IServiceProvider services, IReadOnlyList<VoteRequest> batch, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<NewsletterDbContext>();
        for (var attempt = 0; ; attempt++)
        {
            // The checks inside the transaction: a reader erased or unsubscribed meanwhile does not vote.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var comparisons = await VoteComparisons.ReadAsync(db, [.. batch.Select(r => r.Link.Choice.ComparisonId).Distinct()], cancellationToken);
            var resolved = await VoteTargets.ResolveAsync(db, [.. batch.Select(r => r.Link)], comparisons, cancellationToken);
            var ready = resolved.Select((r, i) => (r, batch[i].Ship)).Where(v => v.r.Target.Outcome == VoteOutcome.Ready).ToList();
            if (ready.Count == 0)
            {
                return [.. resolved.Select(r => r.Target)];
            }

            var comparisonIds = ready.Select(v => v.r.ComparisonId).Distinct().ToList();
            var subscriberIds = ready.Select(v => (long?)v.r.SubscriberId).Distinct().ToList();
            var votes = db.Set<Vote>();
            var stored = (await votes.Where(v => comparisonIds.Contains(v.ComparisonId) && subscriberIds.Contains(v.SubscriberId)).ToListAsync(cancellationToken))
                .ToDictionary(v => (v.ComparisonId, v.Tool, v.SubscriberId));
            var now = clock.GetUtcNow();
            foreach (var (r, ship) in ready)
            {
                var key = (r.ComparisonId, r.Target.Tool!, (long?)r.SubscriberId);
                if (stored.TryGetValue(key, out var vote))
                {
                    vote.Ship = ship;
                    vote.VotedAt = now;
                }
                else
                {
                    stored[key] = votes.Add(new Vote { ComparisonId = r.ComparisonId, Tool = r.Target.Tool!, SubscriberId = r.SubscriberId, Ship = ship, VotedAt = now }).Entity;
                }
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another instance inserted one of these readers' votes first: read again and replace theirs.
                db.ChangeTracker.Clear();
                continue;
            }

            var tallies = await VoteCounts.ForAsync(db, comparisonIds, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            LogRecorded(Logger, ready.Count);
            return [.. resolved.Select((r, i) => r.Target.Outcome != VoteOutcome.Ready ? r.Target : r.Target with
            {
                Ship = batch[i].Ship,
                Tally = tallies.GetValueOrDefault((r.ComparisonId, r.Target.Tool!), VoteTally.None),
            })];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} votes recorded")]
    private static partial void LogRecorded(ILogger logger, int count);
}
