namespace Newsletter.Subscribers;

public enum SubscriberStatus
{
    Pending,
    Confirmed,
    Unsubscribed,
    Bounced,
}

/// <summary>A reader: their address, their consent, and the tokens in the links we mail them.</summary>
public sealed class Subscriber
{
    public long Id { get; set; }

    /// <summary>The address as entered, trimmed, with the domain lowercased.</summary>
    public required string Email { get; set; }

    /// <summary>The whole address lowercased: the same address in other case is the same subscriber.</summary>
    public required string EmailKey { get; set; }

    public string? Name { get; set; }

    public SubscriberStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When, from where and through what the reader gave consent (signup or import).</summary>
    public DateTimeOffset? ConsentAt { get; set; }

    public string? ConsentIp { get; set; }

    public string? ConsentSource { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset? UnsubscribedAt { get; set; }

    public DateTimeOffset? BouncedAt { get; set; }

    /// <summary>SHA-256 of the pending confirmation token; the token itself is only in the mail.</summary>
    public string? ConfirmTokenHash { get; set; }

    public DateTimeOffset? ConfirmTokenExpiresAt { get; set; }

    public DateTimeOffset? ConfirmationSentAt { get; set; }

    /// <summary>
    /// The random token in every digest's unsubscribe links and List-Unsubscribe header. Kept in
    /// clear because each send writes it into the mail; it can only unsubscribe, nothing else.
    /// </summary>
    public required string UnsubscribeToken { get; set; }
}
