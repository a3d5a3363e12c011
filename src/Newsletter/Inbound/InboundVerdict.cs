using Newsletter.Mail;
using Newsletter.Mail.Failures;

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

    /// <summary>A report about our own setup (ARF auth-failure: DKIM, SPF, DMARC): recorded for the editors, no reader changes.</summary>
    Setup,

    /// <summary>Not understood, nobody it names for sure, or a token that does not verify: a human looks.</summary>
    Review,
}

/// <summary>What a report says about one reader. The outcome names its reader by a verified token, or by address when VERP is off.</summary>
public enum ReportKind
{
    /// <summary>The address is dead: bounced.</summary>
    Hard,

    /// <summary>A mailbox problem that may pass: counted with Bounces:SoftBounceLimit.</summary>
    Soft,

    Complaint,

    Unsubscribe,

    /// <summary>The sender's problem (blocked, content, policy, rate): recorded and counted, the reader stays.</summary>
    Sender,

    /// <summary>Our setup's problem (an authentication failure report): recorded for the editors, the reader stays.</summary>
    Setup,
}

/// <summary>
/// One reader's outcome: who (the delivery from a verified token, or only the address when
/// Bounces:ReturnPath is off), what, the diagnostic line of the reporting server, and what the
/// failure table made of it (reason, status code) with the recipient's domain when the report names it.
/// </summary>
public sealed record InboundFinding(
    ReportKind Kind, VerpRecipient? Recipient, string? Email, string Diagnostic, FailureVerdict? Failure = null, string? RecipientDomain = null);

public sealed record InboundVerdict(InboundKind Kind, string Reason, IReadOnlyList<InboundFinding> Findings)
{
    public static InboundVerdict Review(string reason) => new(InboundKind.Review, reason, []);

    public static InboundVerdict Ignored(string reason) => new(InboundKind.Ignored, reason, []);
}
