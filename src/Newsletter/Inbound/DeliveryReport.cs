namespace Newsletter.Inbound;

/// <summary>
/// What came back about one delivery: the outcome and the reporting server's diagnostic line, next
/// to the delivery row (same issue and reader), with the failure table's reason, the status code
/// and the recipient's domain, so that sender problems can be counted per issue and domain. From the mailbox (with the mail's key, which makes
/// handling a mail twice change nothing) or from the webhook.
/// </summary>
public sealed class DeliveryReport
{
    public long Id { get; set; }

    /// <summary>The issue (id) the report is about; null when a provider's webhook named none and none went out.</summary>
    public long? IssueId { get; set; }

    /// <summary>Null once the subscriber is erased.</summary>
    public long? SubscriberId { get; set; }

    public ReportKind Kind { get; set; }

    public required string Diagnostic { get; set; }

    /// <summary>The failure table's reason (user-unknown, blocked, complaint …); null for an unsubscribe mail.</summary>
    public string? Reason { get; set; }

    /// <summary>The enhanced status code the report gave (5.7.1); null when none.</summary>
    public string? Status { get; set; }

    /// <summary>The domain of the address that failed (gmail.com …), for counts by recipient domain; null when unknown.</summary>
    public string? RecipientDomain { get; set; }

    /// <summary>"mailbox" or "webhook".</summary>
    public required string Source { get; set; }

    /// <summary>The mailbox message's Message-ID (or a hash of it when it has none); null from the webhook.</summary>
    public string? InboundKey { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
