using System.Text.RegularExpressions;
using MimeKit;
using Newsletter.Mail;
using Newsletter.Mail.Failures;

namespace Newsletter.Inbound;

/// <summary>
/// Reads one mail from the bounce mailbox and says what it means, changing nothing. Whose mail it is
/// comes from a signed VERP token: the envelope recipient (Delivered-To, X-Original-To, To: our
/// bounces+TOKEN address), else the X-Newsletter-Token of the original the report quotes (ARF quotes
/// only that). With VERP on, an address alone never names a reader, and a token that does not
/// verify sends the mail to review: a forged bounce cannot stop anybody's mail.
/// </summary>
public sealed partial class InboundClassifier(Verp verp)
{
    private readonly ReturnedTokens _tokens = new(verp);

    private static readonly string[] AuthFailureFields = ["Auth-Failure", "Delivery-Result", "Reported-Domain", "DKIM-Domain"];

    /// <summary>The mail as the server holds it; bytes that are no mail at all go to review.</summary>
    public InboundVerdict Classify(Stream raw)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(raw);
        }
        catch (FormatException e)
        {
            return InboundVerdict.Review("not a mail: " + e.Message);
        }

        return Classify(message);
    }

    public InboundVerdict Classify(MimeMessage message)
    {
        var envelope = _tokens.Envelope(message);

        // A mail to an unsubscribe address unsubscribes, whatever it says.
        if (envelope is { Purpose: VerpPurpose.Unsubscribe } unsubscribe)
        {
            return unsubscribe.Recipient is { } r
                ? new InboundVerdict(InboundKind.Unsubscribe, "mail to the unsubscribe address",
                    [new InboundFinding(ReportKind.Unsubscribe, r, null, Line(message.Subject) is { Length: > 0 } s ? "unsubscribe mail: " + s : "unsubscribe mail")])
                : InboundVerdict.Review("unsubscribe address whose token does not verify");
        }

        // The report is the body, or (some gateways wrap it) a part of a multipart/mixed body.
        var report = message.Body as MultipartReport ?? (message.Body as Multipart)?.OfType<MultipartReport>().FirstOrDefault();
        var quoted = _tokens.Quoted(message, report);
        var original = ReturnedTokens.Original(message, report);

        var feedback = report?.OfType<MessageFeedbackReport>().FirstOrDefault();
        if (feedback is not null)
        {
            return Feedback(feedback, envelope, report!, quoted);
        }

        var text = PlainBounce.AllText(message);
        var status = report?.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is not null && DeliveryStatus(status, envelope, quoted, message, text) is { } dsn)
        {
            return dsn;
        }

        // No report, or one that could not be read (a damaged part, no recipient group): the words.
        if (status is not null || report is not null || PlainBounce.Looks(message, text))
        {
            return PlainText(message, text, envelope, quoted, original);
        }

        // Outlook.com and others forward a complaint as a plain mail with our digest attached.
        if (original is not null && _tokens.OfOriginal(original) is not null && !IsAutoReply(message))
        {
            return Attribute(
                new FailureVerdict(FailureReason.Complaint, FailureConsequence.Complaint, null, "complaint: our digest forwarded back" + (Line(message.Subject) is { Length: > 0 } s ? " (" + s + ")" : "")),
                InboundKind.Complaint, envelope, quoted, original.To.Mailboxes.FirstOrDefault()?.Address);
        }

        if (IsAutoReply(message))
        {
            return InboundVerdict.Ignored("auto-reply: " + Line(message.Subject));
        }

        return InboundVerdict.Review("not a delivery or feedback report, nor a mail to an unsubscribe address");
    }

    /// <summary>
    /// An RFC 3464 report: each recipient group through the failure table. The first group is about
    /// the message, unless (AOL) it carries the recipient's fields too; a report whose groups name no
    /// failure is a success (relayed, delivered) or, with no recipient group at all, read as text.
    /// </summary>
    private InboundVerdict? DeliveryStatus(MessageDeliveryStatus status, ReturnedTokens.EnvelopeAddress? envelope, string? quotedToken, MimeMessage message, string text)
    {
        FailureVerdict? worst = null;
        string? finalRecipient = null;
        var recipients = 0;
        var delayed = false;
        foreach (var group in status.StatusGroups)
        {
            if (group["Final-Recipient"] is null && group["Original-Recipient"] is null && group["Action"] is null)
            {
                continue;
            }

            recipients++;
            var action = (group["Action"] ?? "").Trim().ToLowerInvariant();
            if (action is "delivered" or "relayed" or "expanded")
            {
                continue;
            }

            var diagnostic = group["Diagnostic-Code"] is { } d ? Line(d.Contains(';', StringComparison.Ordinal) && d.IndexOf(';', StringComparison.Ordinal) < 12 ? d[(d.IndexOf(';', StringComparison.Ordinal) + 1)..] : d) : "";
            var code = group["Status"]?.Trim();
            if (action == "delayed")
            {
                delayed = true;
                continue;
            }

            var verdict = FailureRules.Classify(null, code, diagnostic, gaveUp: true);
            verdict = verdict with { Diagnostic = Describe(code, action, diagnostic) };
            if (worst is null || Rank(verdict.Consequence) > Rank(worst.Consequence))
            {
                worst = verdict;
                finalRecipient = Address(group["Final-Recipient"] ?? group["Original-Recipient"]);
            }
        }

        if (worst is not null)
        {
            // A group without words (Exim's "Status: 5.0.0" alone): the human part may say why.
            if (worst.Reason == FailureReason.Unknown)
            {
                var words = Line(message.Subject) + " " + PlainBounce.Explanation(text);
                var read = FailureRules.Classify(null, worst.Status, words, gaveUp: true);
                if (read.Reason != FailureReason.Unknown)
                {
                    worst = read with { Diagnostic = worst.Diagnostic + " (" + Line(words) + ")" };
                }
            }

            return Attribute(worst, InboundKind.Bounce, envelope, quotedToken, finalRecipient);
        }

        return recipients == 0 ? null
            : InboundVerdict.Ignored(delayed ? "delivery delayed: the reporter is still trying" : "delivery report without a failure (relayed or delivered)");
    }

    /// <summary>A bounce in words (or a report that could not be read): the recipient and the reason found in the text.</summary>
    private InboundVerdict PlainText(MimeMessage message, string text, ReturnedTokens.EnvelopeAddress? envelope, string? quotedToken, MimeMessage? original)
    {
        if (PlainBounce.IsDelay(message, text))
        {
            return InboundVerdict.Ignored("delivery delayed: " + Line(message.Subject));
        }

        var recipient = PlainBounce.Recipient(message, text, original);
        var (status, diagnostic) = PlainBounce.Diagnostic(message, text);
        var verdict = FailureRules.Classify(null, status, diagnostic, gaveUp: true);
        if (verdict.Reason == FailureReason.Unknown)
        {
            var whole = FailureRules.Classify(null, status, Line(message.Subject) + " " + PlainBounce.Explanation(text), gaveUp: true);
            verdict = whole.Reason != FailureReason.Unknown ? whole with { Diagnostic = diagnostic } : verdict;
        }

        // Words that name nothing: a bounce of some kind, never the end of an address.
        var line = Line(diagnostic);
        verdict = verdict with { Diagnostic = line.Length > 0 ? line : Line(message.Subject) };
        return Attribute(verdict, InboundKind.Bounce, envelope, quotedToken, recipient);
    }

    /// <summary>
    /// An ARF report (RFC 5965): abuse, fraud and virus are complaints; not-spam (RFC 6430) changes
    /// nothing; auth-failure (RFC 6591) is our setup's problem, recorded for the editors; the rest
    /// (other, opt-out …) goes to review.
    /// </summary>
    private InboundVerdict Feedback(MessageFeedbackReport feedback, ReturnedTokens.EnvelopeAddress? envelope, MultipartReport report, string? quoted)
    {
        var type = (feedback.Fields["Feedback-Type"] ?? "").Trim().ToLowerInvariant();
        var agent = feedback.Fields["User-Agent"] is { } ua ? " from " + Line(ua) : "";
        var original = report.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        var token = original?.Headers[Verp.TokenHeader] ?? quoted;
        var rcpt = Address(feedback.Fields["Original-Rcpt-To"]) ?? original?.To.Mailboxes.FirstOrDefault()?.Address;

        // ARF's envelope is the provider's; the original may have kept our envelope sender, though.
        var fromField = verp.TryReadAddress(Address(feedback.Fields["Original-Mail-From"]), out var purpose, out var fromToken, out var recipient)
            ? new ReturnedTokens.EnvelopeAddress(purpose, fromToken!, recipient)
            : null;
        switch (type)
        {
            case "abuse" or "fraud" or "virus":
                return Attribute(new FailureVerdict(FailureReason.Complaint, FailureConsequence.Complaint, null, $"complaint (feedback-type {type}){agent}"),
                    InboundKind.Complaint, envelope ?? fromField, token, rcpt);
            case "not-spam":
                return InboundVerdict.Ignored($"feedback report of type not-spam{agent}: the reader marked it as not spam");
            case "auth-failure":
                // RFC 6591: our DKIM/SPF/DMARC failed somewhere: a setup problem for the editors, no reader's act.
                var auth = string.Join(", ", AuthFailureFields.Select(f => feedback.Fields[f] is { } v ? $"{f}: {Line(v)}" : null).Where(v => v is not null));
                var diagnostic = $"authentication failure report{agent}" + (auth.Length > 0 ? ": " + auth : "");
                var setup = new FailureVerdict(FailureReason.Policy, FailureConsequence.Sender, null, diagnostic);
                var named = Attribute(setup, InboundKind.Setup, envelope ?? fromField, token, rcpt, ReportKind.Setup);
                return named.Kind != InboundKind.Review ? named
                    : new InboundVerdict(InboundKind.Setup, diagnostic, [new InboundFinding(ReportKind.Setup, null, null, diagnostic, setup, DomainOf(rcpt))]);
            default:
                return InboundVerdict.Review($"feedback report of type \u201c{type}\u201d, not a complaint");
        }
    }

    private static int Rank(FailureConsequence consequence) => consequence switch
    {
        FailureConsequence.Hard => 3,
        FailureConsequence.Soft => 2,
        FailureConsequence.Sender => 1,
        _ => 0,
    };

    private static string Describe(string? code, string action, string diagnostic) =>
        $"{(string.IsNullOrWhiteSpace(code) ? "?" : code.Trim())} {action}" + (diagnostic.Length > 0 ? ": " + diagnostic : "");

    private static string? DomainOf(string? email) => email is { } e && e.LastIndexOf('@') is var at and > 0 ? e[(at + 1)..].ToLowerInvariant() : null;

    /// <summary>
    /// Names the reader: the envelope token, else the quoted original's header token; both must
    /// verify. Without VERP (no Bounces:ReturnPath), by the reported address, as nothing else exists.
    /// </summary>
    private InboundVerdict Attribute(
        FailureVerdict failure, InboundKind verdict, ReturnedTokens.EnvelopeAddress? envelope, string? quotedToken, string? reportedAddress, ReportKind? asKind = null)
    {
        var kind = asKind ?? failure.Consequence switch
        {
            FailureConsequence.Hard => ReportKind.Hard,
            FailureConsequence.Complaint => ReportKind.Complaint,
            FailureConsequence.Sender => ReportKind.Sender,
            _ => ReportKind.Soft,
        };
        var diagnostic = failure.Diagnostic;
        var domain = DomainOf(reportedAddress);
        InboundVerdict Found(VerpRecipient? r, string? email) =>
            new(verdict, diagnostic, [new InboundFinding(kind, r, email, diagnostic, failure, domain)]);

        if (!verp.Enabled)
        {
            return reportedAddress is { } email ? Found(null, email) : InboundVerdict.Review("a report that names no recipient");
        }

        if (envelope is { Purpose: VerpPurpose.Bounce })
        {
            return envelope.Recipient is { } r
                ? Found(r, reportedAddress)
                : InboundVerdict.Review("bounce address whose token does not verify (forged or damaged)");
        }

        if (quotedToken is { } headerToken)
        {
            return verp.Verify(VerpPurpose.Bounce, headerToken) is { } r
                ? Found(r, reportedAddress)
                : InboundVerdict.Review($"quoted {Verp.TokenHeader} does not verify (forged or damaged)");
        }

        return InboundVerdict.Review($"a {(kind == ReportKind.Complaint ? "complaint" : "bounce")} that carries no token of ours" +
            (reportedAddress is null ? "" : " (it names " + reportedAddress + ")"));
    }

    private static bool IsAutoReply(MimeMessage message)
    {
        var autoSubmitted = message.Headers["Auto-Submitted"]?.Trim();
        if (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond") || message.Headers.Contains("X-Auto-Response-Suppress"))
        {
            return true;
        }

        var precedence = message.Headers["Precedence"]?.Trim().ToLowerInvariant();
        return precedence is "auto_reply" || AutoReplySubject().IsMatch(message.Subject ?? "");
    }

    private static string? Address(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        // "rfc822; reader@example.org" (DSN, ARF) or a plain address.
        var value = field.Contains(';', StringComparison.Ordinal) ? field[(field.IndexOf(';', StringComparison.Ordinal) + 1)..] : field;
        return value.Trim().Trim('<', '>').Trim();
    }

    /// <summary>A header or diagnostic as one line, no longer than a database column wants.</summary>
    public static string Line(string? text)
    {
        var line = WhiteSpace().Replace(text ?? "", " ").Trim();
        return line.Length <= 500 ? line : line[..500];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|vacation|autoreply|r\u00e9ponse automatique|auto:)", RegexOptions.IgnoreCase)]
    private static partial Regex AutoReplySubject();
}
