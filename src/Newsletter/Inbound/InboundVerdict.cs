using Newsletter.Mail;

namespace Newsletter.Inbound;

/// <summary>What one mail in the bounce mailbox means as a whole.</summary>
public enum InboundKind
{
    /// <summary>A delivery status notification: the reader's server gave up (hard) or is still trying (soft).</summary>
    Bounce,

    /// <summary>A feedback-loop report (ARF): the reader marked the digest as spam.</summary>
    Complaint,

    /// <summary>A mail to a reader's List-Unsubscribe mailto.</summary>
    Unsubscribe,

    /// <summary>An auto-reply (vacation, out of office) or a report of success: nothing to do.</summary>
    Ignored,

    /// <summary>Not understood, nobody it names for sure, or a token that does not verify: a human looks.</summary>
    Review,
}

/// <summary>What a report says about one reader. The outcome names its reader by a verified token, or by address when VERP is off.</summary>
public enum ReportKind
{
    Hard,
    Soft,
    Complaint,
    Unsubscribe,

    /// <summary>The sender's problem (blocked, content, policy): recorded for the editors; the reader stays.</summary>
    Sender,
}

/// <summary>
/// One reader's outcome: who (the delivery from a verified token, or only the address when
/// Bounces:ReturnPath is off), what, and the diagnostic line of the reporting server.
/// </summary>
public sealed record InboundFinding(ReportKind Kind, VerpRecipient? Recipient, string? Email, string Diagnostic);

public sealed record InboundVerdict(InboundKind Kind, string Reason, IReadOnlyList<InboundFinding> Findings)
{
    public static InboundVerdict Review(string reason) => new(InboundKind.Review, reason, []);

    public static InboundVerdict Ignored(string reason) => new(InboundKind.Ignored, reason, []);
}
