namespace Newsletter.Subscribers.Preferences;

/// <summary>What a one-time link mailed to a reader lets them do: download what we hold, or be erased.</summary>
public enum DataRequestPurpose
{
    Export,
    Erase,
}

/// <summary>
/// A reader's request, made from their preference page, for their data or their erasure. A digest can
/// be forwarded, so the page only asks: the act needs a one-time link mailed to the reader's address.
/// The row is also the mail's queue (<see cref="MailDueAt"/>), so the mail survives a restart and a
/// refusing server. Only the link token's SHA-256 is kept; it is made when the mail is sent.
/// </summary>
public sealed class ReaderDataRequest
{
    public long Id { get; set; }

    public long SubscriberId { get; set; }

    public DataRequestPurpose Purpose { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>SHA-256 (hex) of the link's token; null until the mail is built.</summary>
    public string? TokenHash { get; set; }

    /// <summary>The link works until then (set when the mail is built).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The mail is owed from this time on; null once sent or given up.</summary>
    public DateTimeOffset? MailDueAt { get; set; }

    public int MailAttempts { get; set; }

    /// <summary>When the link was used: a link works once.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
