namespace Newsletter.Mail.Failures;

/// <summary>
/// Why one mail did not reach its reader, from one fixed list, wherever the failure was heard: the SMTP
/// reply during the send, a DSN, a plain-text bounce, an ARF report or a provider's webhook. Stored and
/// shown by its kebab-case name (user-unknown, mailbox-full …).
/// </summary>
public enum FailureReason
{
    /// <summary>Not understood: never a hard bounce.</summary>
    Unknown,

    /// <summary>The mailbox does not exist (X.1.1, "user unknown", "no such user").</summary>
    UserUnknown,

    /// <summary>The domain does not exist or has no mail server (X.1.2, X.4.4 "host not found", NXDOMAIN).</summary>
    HostUnknown,

    /// <summary>The mailbox exists but will never take mail again (X.2.1 "disabled", "account closed").</summary>
    MailboxDisabled,

    /// <summary>Over quota, suspended, inactive for now (X.2.2, "mailbox full").</summary>
    MailboxFull,

    /// <summary>The message is bigger than the mailbox or server takes (X.2.3, X.3.4).</summary>
    MessageTooLarge,

    /// <summary>A content or spam filter refused this mail (X.7.1 "spam", "content rejected").</summary>
    Content,

    /// <summary>Our IP or domain is blocked (a blocklist, poor reputation).</summary>
    Blocked,

    /// <summary>A policy refusal about how we send: DMARC, SPF, DKIM, PTR, RFC compliance, relay denied.</summary>
    Policy,

    /// <summary>Too many mails or connections from us; try later.</summary>
    RateLimited,

    /// <summary>The reader's server gave up after retrying for days.</summary>
    Expired,

    /// <summary>A network or system error on the way (X.3.x, X.4.x other than host not found).</summary>
    System,

    /// <summary>Held for review by the receiving side (quarantine, moderation).</summary>
    OnHold,

    /// <summary>The reader marked the mail as spam (ARF abuse, fraud, virus; a provider's complaint).</summary>
    Complaint,
}

/// <summary>What a failure does to the reader (and to the send).</summary>
public enum FailureConsequence
{
    /// <summary>The address is dead or will never take mail: the reader is bounced for good.</summary>
    Hard,

    /// <summary>A problem of the reader's mailbox that may pass: counted with Bounces:SoftBounceLimit.</summary>
    Soft,

    /// <summary>The sender's problem (blocked, content, policy, rate): the reader stays, the editors see it.</summary>
    Sender,

    /// <summary>The reader complained: never mailed again.</summary>
    Complaint,
}
