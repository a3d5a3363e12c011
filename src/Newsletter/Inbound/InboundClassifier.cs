using System.Text.RegularExpressions;
using MimeKit;
using Newsletter.Mail;

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
    private static readonly string[] EnvelopeHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc"];

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
        var envelope = EnvelopeToken(message);

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

        var status = report?.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is not null)
        {
            return DeliveryStatus(status, envelope, QuotedToken(message, report));
        }

        var feedback = report?.OfType<MessageFeedbackReport>().FirstOrDefault();
        if (feedback is not null)
        {
            return Feedback(feedback, envelope, report!);
        }

        // Exim's classic bounce: plain text, and X-Failed-Recipients only for permanent failures.
        if (report is null && message.Headers["X-Failed-Recipients"] is { } failed)
        {
            var diagnostic = "permanent failure for " + Line(failed) + ": " + FirstErrorLine(message.TextBody);
            return Attribute(ReportKind.Hard, InboundKind.Bounce, diagnostic, envelope, QuotedToken(message, report), failed.Split(',')[0].Trim());
        }

        if (IsAutoReply(message))
        {
            return InboundVerdict.Ignored("auto-reply: " + Line(message.Subject));
        }

        return InboundVerdict.Review(report is null
            ? "not a delivery or feedback report, nor a mail to an unsubscribe address"
            : $"a report of type {report.ReportType ?? "(none)"}, not delivery-status or feedback-report");
    }

    private InboundVerdict DeliveryStatus(MessageDeliveryStatus status, EnvelopeAddress? envelope, string? quotedToken)
    {
        // The first group is about the message; each next one is about one recipient.
        ReportKind? worst = null;
        string? diagnostic = null;
        string? finalRecipient = null;
        foreach (var group in status.StatusGroups.Skip(1))
        {
            var action = (group["Action"] ?? "").Trim().ToLowerInvariant();
            var code = StatusCode().Match(group["Status"] ?? "");
            ReportKind? kind = action switch
            {
                "failed" when code.Success && code.Value[0] == '4' => ReportKind.Soft,
                "failed" => ReportKind.Hard,
                "delayed" => ReportKind.Soft,
                _ when code.Success && code.Value[0] == '5' && action is not ("delivered" or "relayed" or "expanded") => ReportKind.Hard,
                _ when code.Success && code.Value[0] == '4' && action is not ("delivered" or "relayed" or "expanded") => ReportKind.Soft,
                _ => null,
            };
            if (kind is null || (worst == ReportKind.Hard))
            {
                continue;
            }

            worst = kind;
            finalRecipient = Address(group["Final-Recipient"] ?? group["Original-Recipient"]);
            var text = group["Diagnostic-Code"] is { } d ? Line(d) : "";
            diagnostic = $"{(code.Success ? code.Value : "?")} {action}" + (text.Length > 0 ? ": " + text : "");
        }

        return worst is { } k
            ? Attribute(k, InboundKind.Bounce, diagnostic!, envelope, quotedToken, finalRecipient)
            : InboundVerdict.Ignored("delivery report without a failure or delay (relayed or delivered)");
    }

    private InboundVerdict Feedback(MessageFeedbackReport feedback, EnvelopeAddress? envelope, MultipartReport report)
    {
        var type = (feedback.Fields["Feedback-Type"] ?? "").Trim().ToLowerInvariant();
        if (type != "abuse")
        {
            return InboundVerdict.Review($"feedback report of type \u201c{type}\u201d, not abuse");
        }

        var diagnostic = "complaint (feedback-type abuse)" + (feedback.Fields["User-Agent"] is { } ua ? " from " + Line(ua) : "");

        // ARF's envelope is the provider's; the original may have kept our envelope sender, though.
        var original = report.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        var fromField = verp.TryReadAddress(Address(feedback.Fields["Original-Mail-From"]), out var purpose, out var token, out var recipient)
            ? new EnvelopeAddress(purpose, token!, recipient)
            : null;
        return Attribute(ReportKind.Complaint, InboundKind.Complaint, diagnostic, envelope ?? fromField, original?.Headers[Verp.TokenHeader],
            Address(feedback.Fields["Original-Rcpt-To"]) ?? original?.To.Mailboxes.FirstOrDefault()?.Address);
    }

    /// <summary>
    /// Names the reader: the envelope token, else the quoted original's header token; both must
    /// verify. Without VERP (no Bounces:ReturnPath), by the reported address, as nothing else exists.
    /// </summary>
    private InboundVerdict Attribute(
        ReportKind kind, InboundKind verdict, string diagnostic, EnvelopeAddress? envelope, string? quotedToken, string? reportedAddress)
    {
        if (!verp.Enabled)
        {
            return reportedAddress is { } email
                ? new InboundVerdict(verdict, diagnostic, [new InboundFinding(kind, null, email, diagnostic)])
                : InboundVerdict.Review("a report that names no recipient");
        }

        if (envelope is { Purpose: VerpPurpose.Bounce })
        {
            return envelope.Recipient is { } r
                ? new InboundVerdict(verdict, diagnostic, [new InboundFinding(kind, r, null, diagnostic)])
                : InboundVerdict.Review("bounce address whose token does not verify (forged or damaged)");
        }

        if (quotedToken is { } headerToken)
        {
            return verp.Verify(VerpPurpose.Bounce, headerToken) is { } r
                ? new InboundVerdict(verdict, diagnostic, [new InboundFinding(kind, r, null, diagnostic)])
                : InboundVerdict.Review($"quoted {Verp.TokenHeader} does not verify (forged or damaged)");
        }

        return InboundVerdict.Review($"a {(kind == ReportKind.Complaint ? "complaint" : "bounce")} that carries no token of ours" +
            (reportedAddress is null ? "" : " (it names " + reportedAddress + ")"));
    }

    private sealed record EnvelopeAddress(VerpPurpose Purpose, string Token, VerpRecipient? Recipient);

    private EnvelopeAddress? EnvelopeToken(MimeMessage message)
    {
        foreach (var name in EnvelopeHeaders)
        {
            foreach (var header in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var address in Addresses(header.Value))
                {
                    if (verp.TryReadAddress(address, out var purpose, out var token, out var recipient))
                    {
                        return new EnvelopeAddress(purpose, token!, recipient);
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Addresses(string value) =>
        InternetAddressList.TryParse(value, out var list) ? list.Mailboxes.Select(m => m.Address) : [value.Trim()];

    /// <summary>
    /// The X-Newsletter-Token of the original a bounce returns: in a message/rfc822 or
    /// text/rfc822-headers part (MimeKit reads both as a message), else in a copy pasted into the
    /// text (Exim's and other plain bounces).
    /// </summary>
    private static string? QuotedToken(MimeMessage message, MultipartReport? report)
    {
        var parts = (IEnumerable<MimeEntity>?)report ?? (message.Body as Multipart) ?? [];
        if (parts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null) is { } original)
        {
            return original.Headers[Verp.TokenHeader];
        }

        var pasted = PastedToken().Match(message.TextBody ?? "");
        return pasted.Success ? pasted.Groups[1].Value : null;
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

    private static string FirstErrorLine(string? text) =>
        Line(text?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => SmtpReply().IsMatch(l)) ?? "");

    /// <summary>A header or diagnostic as one line, no longer than a database column wants.</summary>
    public static string Line(string? text)
    {
        var line = WhiteSpace().Replace(text ?? "", " ").Trim();
        return line.Length <= 500 ? line : line[..500];
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex StatusCode();

    [GeneratedRegex(@"\b[45]\d\d[ -]")]
    private static partial Regex SmtpReply();

    [GeneratedRegex(@"^X-Newsletter-Token:[ \t]*([A-Za-z0-9]+)[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PastedToken();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|vacation|autoreply|r\u00e9ponse automatique|auto:)", RegexOptions.IgnoreCase)]
    private static partial Regex AutoReplySubject();
}
