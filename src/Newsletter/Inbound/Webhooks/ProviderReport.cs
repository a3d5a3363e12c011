using Newsletter.Mail.Failures;

namespace Newsletter.Inbound.Webhooks;

/// <summary>What a provider's notification is about.</summary>
public enum ProviderReportKind
{
    Bounce,
    Complaint,
    Delivery,

    /// <summary>Anything else the provider posts (auto-replies, opens, its own errors): nothing to do.</summary>
    Other,
}

/// <summary>
/// One provider notification about one recipient, in the same words whichever provider posted it:
/// the address, what happened, the SMTP reply the provider heard (basic and enhanced code, the
/// diagnostic line), the provider's own type ("Permanent/NoEmail", "HardBounce", "failed/permanent"),
/// the provider's id of the mail it was about, and what it means for the reader.
/// </summary>
public sealed record ProviderReport(
    string Provider,
    string Email,
    ProviderReportKind Kind,
    int? SmtpCode,
    string? EnhancedCode,
    string Diagnostic,
    string ProviderType,
    string? MessageId,
    FailureReason Reason,
    FailureConsequence Consequence)
{
    /// <summary>What the subscriber actions do with it; null: nothing (a delivery, an auto-reply, "not spam").</summary>
    public ReportKind? Action => Kind is ProviderReportKind.Bounce or ProviderReportKind.Complaint
        ? Consequence switch
        {
            FailureConsequence.Hard => ReportKind.Hard,
            FailureConsequence.Soft => ReportKind.Soft,
            FailureConsequence.Complaint => ReportKind.Complaint,
            _ => ReportKind.Sender,
        }
        : null;
}
