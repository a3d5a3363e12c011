namespace Newsletter.Inbound;

/// <summary>
/// What came back about one delivery: the outcome and the reporting server's diagnostic line, next
/// to the delivery row (same issue and reader). From the mailbox (with the mail's key, which makes
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

    /// <summary>"mailbox" or "webhook".</summary>
    public required string Source { get; set; }

    /// <summary>The mailbox message's Message-ID (or a hash of it when it has none); null from the webhook.</summary>
    public string? InboundKey { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
