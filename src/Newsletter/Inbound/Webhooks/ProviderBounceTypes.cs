using System.Text.RegularExpressions;
using Newsletter.Mail.Failures;

namespace Newsletter.Inbound.Webhooks;

/// <summary>
/// The one table of what each provider's own bounce and complaint types mean (Amazon SES's
/// bounceType/bounceSubType, Postmark's Type, Mailgun's event/severity/reason), and the one place
/// that weighs the SMTP reply the provider heard against that type (<see cref="Classify"/>).
/// Whatever the type says, a sender problem (blocked, content, policy, X.7.x) never bounces a reader.
/// </summary>
public static partial class ProviderBounceTypes
{
    /// <summary>A provider's type, as what it means (the reason) and what it does to the reader.</summary>
    public readonly record struct Meaning(ProviderReportKind Kind, FailureReason Reason, FailureConsequence Consequence);

    private static Meaning Bounce(FailureReason reason, FailureConsequence consequence) => new(ProviderReportKind.Bounce, reason, consequence);

    private static readonly Meaning Nothing = new(ProviderReportKind.Other, FailureReason.Unknown, FailureConsequence.Soft);

    private static readonly Meaning Complained = new(ProviderReportKind.Complaint, FailureReason.Complaint, FailureConsequence.Complaint);

    /// <summary>Amazon SES: "bounceType/bounceSubType" (docs: "Bounce types" of the SES notification contents).</summary>
    private static readonly Dictionary<string, Meaning> Ses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Permanent/General"] = Bounce(FailureReason.UserUnknown, FailureConsequence.Hard),
        ["Permanent/NoEmail"] = Bounce(FailureReason.UserUnknown, FailureConsequence.Hard),

        // Not tried: SES saw this address hard-bounce recently (its global list, or this account's).
        ["Permanent/Suppressed"] = Bounce(FailureReason.MailboxDisabled, FailureConsequence.Hard),
        ["Permanent/OnAccountSuppressionList"] = Bounce(FailureReason.MailboxDisabled, FailureConsequence.Hard),
        ["Transient/General"] = Bounce(FailureReason.System, FailureConsequence.Soft),
        ["Transient/MailboxFull"] = Bounce(FailureReason.MailboxFull, FailureConsequence.Soft),

        // The size and content of the digest are ours to fix, not the reader's.
        ["Transient/MessageTooLarge"] = Bounce(FailureReason.MessageTooLarge, FailureConsequence.Sender),
        ["Transient/ContentRejected"] = Bounce(FailureReason.Content, FailureConsequence.Sender),
        ["Transient/AttachmentRejected"] = Bounce(FailureReason.Content, FailureConsequence.Sender),
        ["Undetermined/Undetermined"] = Bounce(FailureReason.Unknown, FailureConsequence.Soft),
    };

    /// <summary>Postmark: the bounce Type (docs: "Bounce API, bounce types").</summary>
    private static readonly Dictionary<string, Meaning> Postmark = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HardBounce"] = Bounce(FailureReason.UserUnknown, FailureConsequence.Hard),
        ["BadEmailAddress"] = Bounce(FailureReason.UserUnknown, FailureConsequence.Hard),
        ["SoftBounce"] = Bounce(FailureReason.MailboxFull, FailureConsequence.Soft),
        ["Transient"] = Bounce(FailureReason.System, FailureConsequence.Soft),

        // "DNS issues": a lookup that failed for now as often as a domain that is gone; in doubt, soft.
        ["DnsError"] = Bounce(FailureReason.System, FailureConsequence.Soft),
        ["Unknown"] = Bounce(FailureReason.Unknown, FailureConsequence.Soft),
        ["SpamNotification"] = Bounce(FailureReason.Content, FailureConsequence.Sender),
        ["VirusNotification"] = Bounce(FailureReason.Content, FailureConsequence.Sender),
        ["Blocked"] = Bounce(FailureReason.Blocked, FailureConsequence.Sender),
        ["DMARCPolicy"] = Bounce(FailureReason.Policy, FailureConsequence.Sender),
        ["SpamComplaint"] = Complained,

        // Replies, address-change notices, challenges, Postmark's own errors: nothing about the reader's address.
        ["AutoResponder"] = Nothing,
        ["AddressChange"] = Nothing,
        ["ChallengeVerification"] = Nothing,
        ["Subscribe"] = Nothing,
        ["Unsubscribe"] = Nothing,
        ["OpenRelayTest"] = Nothing,
        ["ManuallyDeactivated"] = Nothing,
        ["Unconfirmed"] = Nothing,
        ["SMTPApiError"] = Nothing,
        ["InboundError"] = Nothing,
        ["TemplateRenderingFailed"] = Nothing,
    };

    /// <summary>Mailgun: "event/severity" or "event/severity/reason" for its failed events (docs: "Events", "failed").</summary>
    private static readonly Dictionary<string, Meaning> Mailgun = new(StringComparer.OrdinalIgnoreCase)
    {
        ["failed/permanent"] = Bounce(FailureReason.UserUnknown, FailureConsequence.Hard),
        ["failed/permanent/suppress-bounce"] = Bounce(FailureReason.MailboxDisabled, FailureConsequence.Hard),
        ["failed/permanent/suppress-complaint"] = Complained,
        ["failed/permanent/suppress-unsubscribe"] = Nothing,
        ["failed/permanent/espblock"] = Bounce(FailureReason.Blocked, FailureConsequence.Sender),
        ["failed/permanent/old"] = Bounce(FailureReason.Expired, FailureConsequence.Soft),
        ["failed/temporary"] = Bounce(FailureReason.System, FailureConsequence.Soft),
        ["failed/temporary/espblock"] = Bounce(FailureReason.Blocked, FailureConsequence.Sender),
        ["complained"] = Complained,
    };

    /// <summary>SES complaint feedback types (ARF): "not-spam" changes nothing; "auth-failure" is our setup.</summary>
    public static Meaning SesComplaint(string? feedbackType) => feedbackType?.ToLowerInvariant() switch
    {
        "not-spam" => Nothing,
        "auth-failure" => new(ProviderReportKind.Complaint, FailureReason.Policy, FailureConsequence.Sender),
        _ => Complained,
    };

    public static Meaning SesBounce(string? type, string? subType) =>
        Ses.TryGetValue($"{type}/{subType}", out var m) ? m
        : string.Equals(type, "Permanent", StringComparison.OrdinalIgnoreCase) ? Ses["Permanent/General"]
        : string.Equals(type, "Transient", StringComparison.OrdinalIgnoreCase) ? Ses["Transient/General"]
        : Ses["Undetermined/Undetermined"];

    /// <summary>An unknown Postmark type is not a reason to bounce anyone: nothing.</summary>
    public static Meaning PostmarkType(string? type) => type is not null && Postmark.TryGetValue(type, out var m) ? m : Nothing;

    public static Meaning MailgunEvent(string? eventName, string? severity, string? reason) =>
        Mailgun.TryGetValue($"{eventName}/{severity}/{reason}", out var specific) ? specific
        : Mailgun.TryGetValue(eventName == "complained" ? "complained" : $"{eventName}/{severity}", out var general) ? general
        : Nothing;

    /// <summary>
    /// The failure's reason and consequence from what the provider heard: the SMTP status (basic
    /// "550" or enhanced "5.7.1") and the diagnostic line go through the one failure table
    /// (<see cref="FailureRules"/>), as a DSN's would; the provider's own type decides what the reply
    /// leaves open. A provider that calls it our problem (content, size, blocked) or a complaint is
    /// believed; an address is dead only when the reply says so and the provider gave up on it too
    /// (when in doubt, soft).
    /// </summary>
    public static (FailureReason Reason, FailureConsequence Consequence) Classify(string? status, string? diagnostic, Meaning providerHint)
    {
        if (providerHint.Kind != ProviderReportKind.Bounce || providerHint.Consequence is FailureConsequence.Sender or FailureConsequence.Complaint)
        {
            return (providerHint.Reason, providerHint.Consequence);
        }

        var reply = FailureRules.Classify(SmtpCodeIn(diagnostic) ?? SmtpCodeIn(status), EnhancedCodeIn(status), diagnostic, gaveUp: true);
        if (reply.Reason == FailureReason.Unknown)
        {
            return (providerHint.Reason, providerHint.Consequence);
        }

        var consequence = reply.Consequence == FailureConsequence.Hard && providerHint.Consequence != FailureConsequence.Hard
            ? FailureConsequence.Soft
            : reply.Consequence;
        return (reply.Reason, consequence);
    }

    /// <summary>The enhanced status code (RFC 3463) in a status or diagnostic line.</summary>
    public static string? EnhancedCodeIn(string? text) =>
        text is not null && Enhanced().Match(text) is { Success: true } m ? m.Value : null;

    /// <summary>The basic SMTP reply code (RFC 5321) at the start of a diagnostic ("smtp; 550 …").</summary>
    public static int? SmtpCodeIn(string? text) =>
        text is not null && Basic().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Enhanced();

    [GeneratedRegex(@"(?:^|;\s*|\s)([245]\d\d)[\s-]")]
    private static partial Regex Basic();
}
