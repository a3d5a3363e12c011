namespace Newsletter.Clicks;

/// <summary>
/// A link target an issue carried (a comparison page). /r/… names the row, never the target, so
/// the redirect only goes where the issue itself went: it cannot be made into an open redirect.
/// </summary>
public sealed class IssueLink
{
    public long Id { get; set; }

    public long IssueId { get; set; }

    public required string Url { get; set; }
}

/// <summary>
/// The per-issue salt that reader keys are hashed with, so clicks of one mail can be told apart
/// (unique readers, the scanner burst rule) without storing who clicked. Dropped after
/// Tracking:ReaderSaltDays: from then on nobody, not even with the database, can tell whose the hashes were.
/// </summary>
public sealed class IssueClickSalt
{
    public long IssueId { get; set; }

    public byte[]? Salt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One counted request to a tracked link. <see cref="Scanner"/>: part of a burst, so not a reader's click.</summary>
public sealed class Click
{
    public long Id { get; set; }

    public long IssueId { get; set; }

    public long LinkId { get; set; }

    /// <summary>HMAC of the reader's key under the issue's salt (null once the salt is gone).</summary>
    public string? ReaderHash { get; set; }

    /// <summary>Only with Tracking:Individual; cleared when the reader is erased.</summary>
    public long? SubscriberId { get; set; }

    public DateTimeOffset ClickedAt { get; set; }

    public bool Scanner { get; set; }
}
