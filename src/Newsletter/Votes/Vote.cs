namespace Newsletter.Votes;

/// <summary>
/// One reader's ship/skip vote on one tool of one comparison; a later vote replaces it. Erasing
/// the reader clears <see cref="SubscriberId"/>: the vote stays only as an anonymous count.
/// </summary>
public sealed class Vote
{
    public long Id { get; set; }

    public long ComparisonId { get; set; }

    /// <summary>The tool's name as the comparison document spells it.</summary>
    public required string Tool { get; set; }

    public long? SubscriberId { get; set; }

    public bool Ship { get; set; }

    public DateTimeOffset VotedAt { get; set; }
}
