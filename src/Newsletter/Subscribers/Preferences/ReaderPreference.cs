namespace Newsletter.Subscribers.Preferences;

/// <summary>How often a reader wants the digest.</summary>
public enum ReadingFrequency
{
    /// <summary>Every issue (the default).</summary>
    Weekly,

    /// <summary>Only the first issue made in each month (by slot, in Digest:TimeZone), carrying everything they have not had.</summary>
    Monthly,
}

/// <summary>
/// A reader's choices, once they made any on the preference page. A reader without this row has the
/// defaults (every topic, weekly) and has never chosen: each issue gives them exactly what it carries,
/// so the ledger needs no rows for them (see Digests/Selections). A reader with a row is served by
/// the ledger from then on, even after choosing the defaults again.
/// </summary>
public sealed class ReaderPreference
{
    public long SubscriberId { get; set; }

    public ReadingFrequency Frequency { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The picked topics; none: every topic, including categories that appear later.</summary>
    public List<ReaderTopic> Topics { get; set; } = [];
}

/// <summary>A picked topic: a tool category as <see cref="TopicKeys.Key"/> normalizes it.</summary>
public sealed class ReaderTopic
{
    public long SubscriberId { get; set; }

    public required string Topic { get; set; }
}
