namespace Newsletter.Delivery;

public enum DeliveryStatus
{
    Queued,
    /// <summary>Claimed by a sender; a crash leaves it here and a restart sends it again.</summary>
    Sending,
    Sent,
    Failed,
    /// <summary>The subscriber unsubscribed (or bounced) between the snapshot and the send.</summary>
    Skipped,
}

/// <summary>One issue to one recipient: the database is the queue.</summary>
public sealed class MailDelivery
{
    public long Id { get; set; }

    public long IssueId { get; set; }

    /// <summary>Null once the subscriber is erased; the row stays so the issue's counts stay true.</summary>
    public long? SubscriberId { get; set; }

    public DeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>While Sending: the <see cref="SenderLease"/> id of the engine that claimed it.</summary>
    public long? ClaimedBy { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// The subject test's variant, fixed when the issue is made: "A" or "B" (the sample's halves, each
    /// with its subject), "R" (the rest: claimed only once the issue names a winner); null: no test.
    /// </summary>
    public string? Variant { get; set; }

    /// <summary>What the failure table made of the last refusal (user-unknown, blocked …); null after a success.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The enhanced status code of the last refusal (5.1.1); null when the server gave none.</summary>
    public string? FailureStatus { get; set; }
}
