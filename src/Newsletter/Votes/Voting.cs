using Newsletter.Data;
using Newsletter.Links;

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

/// <summary>
/// Reads vote links and records votes: one per reader and tool, a later one replacing it. A vote is
/// committed before its answer (the page says it counted), by <see cref="VoteWriter"/>'s group commit.
/// </summary>
public sealed class Voting(NewsletterDbContext db, LinkKeys keys, VoteComparisons comparisons, VoteWriter writer)
{
    /// <summary>For GET /vote: what the link would record (the comparison as read a moment ago). Changes nothing.</summary>
    public async Task<VoteTarget> FindAsync(string? token, CancellationToken cancellationToken) =>
        await ReadAsync(token, cancellationToken) is { } link
            ? (await VoteTargets.ResolveAsync(db, [link], await comparisons.RecentAsync(db, link.Choice.ComparisonId, cancellationToken), cancellationToken))[0].Target
            : new VoteTarget(VoteOutcome.Invalid);

    /// <summary>For POST /vote: records the reader's vote (<paramref name="ship"/> overrides the link's choice when given).</summary>
    public async Task<VoteTarget> RecordAsync(string? token, bool? ship, CancellationToken cancellationToken) =>
        await ReadAsync(token, cancellationToken) is { } link
            ? await writer.WriteAsync(new VoteRequest(link, ship ?? link.Choice.Ship), cancellationToken)
            : new VoteTarget(VoteOutcome.Invalid);

    /// <summary>The link, or null for a token this server did not make (no database needed to tell).</summary>
    private async Task<VoteLink?> ReadAsync(string? token, CancellationToken cancellationToken) =>
        VoteToken.Read(await keys.GetAsync(cancellationToken), token) is { } read ? new VoteLink(read.Choice, read.UnsubscribeToken) : null;
}
