using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Newsletter.Inbound;

/// <summary>
/// A bounce read from its words when it carries no (readable) RFC 3464 report: qmail, OpenSMTPD,
/// Yahoo, Exchange 2003, WorkMail, older Sendmail, Domino, Zoho and the rest write plain text, and a
/// damaged report part (wrong boundary, no blank line) leaves only text too. Finds whether the mail
/// is a bounce at all, the failed recipient (vendor headers, report fields pasted as text, the lines
/// that name an address, else the quoted original's To), the server's diagnostic lines, and whether
/// the reporter gave up or is still trying.
/// </summary>
internal static partial class PlainBounce
{
    /// <summary>Header fields in which servers name the failed recipient.</summary>
    private static readonly string[] RecipientHeaders =
    [
        "X-Failed-Recipients", "X-Original-Failed-Recipient", "X-Mailer-Daemon-Recipients", "X-MS-Exchange-Message-Is-Ndr-For",
        "X-Postfix-Recipient", "X-Actual-Recipient", "X-Failed-Recipient", "Original-Recipient", "Final-Recipient",
    ];

    /// <summary>Header fields in which servers put the reason.</summary>
    private static readonly string[] DiagnosticHeaders =
    [
        "X-Mailer-Daemon-Error", "X-MS-Exchange-Message-Ndr-Reason", "X-Postfix-Error", "X-Bounce-Reason", "X-Delivery-Error", "X-Failure-Reason",
    ];

    /// <summary>Whether the mail says it is a bounce: its sender, subject, vendor headers or opening words.</summary>
    public static bool Looks(MimeMessage message, string text)
    {
        if (RecipientHeaders.Take(4).Any(h => message.Headers.Contains(h)) || DiagnosticHeaders.Any(h => message.Headers.Contains(h)))
        {
            return true;
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? message.Headers["From"] ?? "";
        var daemon = DaemonSender().IsMatch(from) || (message.Headers["Return-Path"]?.Trim() is "<>" && message.Headers.Contains("X-Failed-Recipients"));
        var subject = BounceSubject().IsMatch(message.Subject ?? "");
        var words = BounceWords().IsMatch(text);
        return subject || (daemon && (words || Fields(text).Count > 0)) || (words && message.Headers["Return-Path"]?.Trim() == "<>");
    }

    /// <summary>Whether the mail is only a notice that delivery is late (the reporter keeps trying), not one that it is held.</summary>
    public static bool IsDelay(MimeMessage message, string text) =>
        (DelaySubject().IsMatch(message.Subject ?? "") || DelayWords().IsMatch(Explanation(text))) && !Held().IsMatch(message.Subject + "\n" + Explanation(text));

    /// <summary>The failed recipient the mail names, as far as it can be found.</summary>
    public static string? Recipient(MimeMessage message, string text, MimeMessage? original)
    {
        foreach (var name in RecipientHeaders)
        {
            if (message.Headers[name] is { Length: > 0 } value && FirstAddress(value) is { } a)
            {
                return a;
            }
        }

        var fields = Fields(text);
        if ((fields.GetValueOrDefault("final-recipient") ?? fields.GetValueOrDefault("original-recipient")) is { } field && FirstAddress(field) is { } f)
        {
            return f;
        }

        var explanation = Explanation(text);
        foreach (Match m in AddressInText().Matches(explanation))
        {
            var address = m.Groups[1].Value.Trim('.', ',', ';', ':', '"', '\'');
            if (!DaemonSender().IsMatch(address) && !address.StartsWith("bounces", StringComparison.OrdinalIgnoreCase))
            {
                return address;
            }
        }

        return original?.To.Mailboxes.FirstOrDefault()?.Address;
    }

    /// <summary>
    /// The server's words: a DSN field pasted as text, a vendor header, else the lines that carry an
    /// SMTP reply or an enhanced status code, else the explanation itself (before the quoted original).
    /// </summary>
    public static (string? Status, string Diagnostic) Diagnostic(MimeMessage message, string text)
    {
        var fields = Fields(text);
        if (fields.GetValueOrDefault("diagnostic-code") is { } code)
        {
            return (fields.GetValueOrDefault("status"), code);
        }

        foreach (var name in DiagnosticHeaders)
        {
            if (message.Headers[name] is { Length: > 0 } value)
            {
                return (fields.GetValueOrDefault("status"), value);
            }
        }

        var explanation = Explanation(text);
        var lines = explanation.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var coded = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            if (CodedLine().IsMatch(lines[i]))
            {
                coded.Append(lines[i]).Append(' ');

                // A reply split over lines ("550-5.1.1 …" then "550 5.1.1 …") or wrapped by the reporter.
                if (i + 1 < lines.Count && !CodedLine().IsMatch(lines[i + 1]) && !AddressInText().IsMatch(lines[i + 1]) && lines[i + 1].Length < 200)
                {
                    coded.Append(lines[i + 1]).Append(' ');
                    i++;
                }
            }
        }

        return coded.Length > 0 ? (fields.GetValueOrDefault("status"), coded.ToString()) : (fields.GetValueOrDefault("status"), explanation);
    }

    /// <summary>The bounce's own words: the text before the quoted original begins.</summary>
    public static string Explanation(string text)
    {
        var cut = QuoteStart().Match(text);
        var head = cut.Success ? text[..cut.Index] : text;
        return head.Length <= 6000 ? head : head[..6000];
    }

    /// <summary>"Field: value" lines of a report pasted as text (a damaged or inline DSN).</summary>
    public static Dictionary<string, string> Fields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in ReportField().Matches(text))
        {
            var name = m.Groups[1].Value.ToLowerInvariant();
            var value = m.Groups[2].Value.Trim();

            // The first one counts (the one about the recipient follows the one about the message).
            if (!fields.TryGetValue(name, out var seen) || (name == "status" && seen.EndsWith(".0.0", StringComparison.Ordinal)))
            {
                fields[name] = value;
            }
        }

        return fields;
    }

    /// <summary>
    /// The bounce's own text: its text parts in order (a report's human part, fields pasted as text, a
    /// delivery-status part MimeKit could not read as one), not the returned original's.
    /// </summary>
    public static string AllText(MimeMessage message)
    {
        var text = new StringBuilder();
        Collect(message.Body, text);

        // A report whose parts do not carry its boundary (damaged) is all preamble to MimeKit.
        if (message.Body is Multipart { Count: 0 } damaged)
        {
            text.Append(damaged.Preamble).Append('\n').Append(damaged.Epilogue);
        }
        return text.ToString().Replace("\r", "", StringComparison.Ordinal);
    }

    private static void Collect(MimeEntity? entity, StringBuilder text)
    {
        switch (entity)
        {
            case Multipart multipart:
                var hasPlain = multipart.OfType<TextPart>().Any(p => !p.IsHtml);
                foreach (var child in multipart)
                {
                    if (hasPlain && child is TextPart { IsHtml: true } && multipart.ContentType.MediaSubtype.Equals("alternative", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    Collect(child, text);
                }

                break;
            case MessagePart:
                break;
            case TextPart { ContentType.MediaSubtype: var subtype } part when !subtype.Equals("rfc822-headers", StringComparison.OrdinalIgnoreCase):
                var body = part.Text ?? "";
                text.Append(part.IsHtml ? System.Net.WebUtility.HtmlDecode(HtmlTag().Replace(HtmlBreak().Replace(body, "\n"), " ")) : body).Append('\n');
                break;
            case MimePart { Content: { } content } part when part.ContentType.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase):
                // message/delivery-status and the like: their fields, also when MimeKit could not read them as a report.
                using (var reader = new StreamReader(content.Open(), Encoding.Latin1))
                {
                    text.Append(reader.ReadToEnd()).Append('\n');
                }

                break;
        }
    }

    private static string? FirstAddress(string value)
    {
        var v = value.Contains(';', StringComparison.Ordinal) ? value[(value.IndexOf(';', StringComparison.Ordinal) + 1)..] : value;
        var m = AddressInText().Match(v);
        return m.Success ? m.Groups[1].Value.Trim('.', ',', ';', ':') : null;
    }

    [GeneratedRegex(@"(?:^|[<\s""'(:\[])([A-Za-z0-9._%+=!#$&'*/?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex AddressInText();

    [GeneratedRegex(@"^(mailer-daemon|postmaster|mail-daemon|maildaemon|mailerdaemon|mailadmin|bounce|nobody|noreply|no-reply|mdaemon|root|mail)(@|$)|mailer-daemon|postmaster@|MAILER-DAEMON", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonSender();

    [GeneratedRegex(@"undeliver|undelivered|not delivered|delivery (status notification|failure|failed|has failed|problem|report)|mail delivery (failed|failure|system|subsystem)|returned mail|returning message|failure notice|could not be delivered|non[- ]?remis|unzustellbar|nicht zustellbar|onbestelbaar|no entregado|non recapitabile|nondeliverable|non-delivery|delivery notification|mail system error|message not delivered|rejected|bounce|mail could not|permanent error|fatal error|failed delivery|notificación de estado|error sending|zustellung|недоставлен|не доставлен|déliv|couldn't be delivered|wasn't delivered|message blocked|delivery incomplete|warning: could not send|delayed mail|delivery delayed|quarantin|on hold|held for|moderat|awaiting approval|submitted to (the )?(editor|moderator)|requires approval|rejected", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"could not be delivered|couldn'?t be delivered|wasn'?t delivered|was not delivered|undeliverable|delivery (to the following recipients? )?(has )?failed|permanent (error|failure)|following (address|recipient)(\(?es\)?|s)? (failed|had permanent|could not)|unable to deliver|i'?m sorry to (have to )?inform you|i'?m afraid i wasn'?t able|this is the mail system at|message (was )?(rejected|returned|bounced)|delivery to the following|sorry, (we|i) (were|was|couldn'?t)|fatal errors?|user unknown|no such user|does not exist|hi\. this is the qmail-send program|the original message was received|delivery has failed|failed permanently|returned to sender|your message to .{0,100} (couldn'?t|could not|was)|delivery status notification|delivery of your message|mail delivery failed|unable to (send|relay)|not (be )?delivered|message not delivered|delivery problem|mailbox (is )?(full|unavailable)|over quota|smtp error|remote server|did not reach|quarantined|held for (review|moderation|approval)|awaiting (moderator|moderation|approval)|rejected by the (list )?moderator|submitted to (the )?(editor|moderator)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceWords();

    [GeneratedRegex(@"delay|warning|still (being )?(retried|trying)|not yet (been )?delivered|will (continue|keep) trying|transient|temporar", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelaySubject();

    [GeneratedRegex(@"will (continue|keep|retry|try again)|still (trying|being retried|be retried)|not yet been delivered|has not yet been delivered|delivery (is|has been) delayed|this is (only )?a warning|no action is required|do not need to resend|you will (be notified|receive)|will be retried|will retry|you do not need to resend|message is delayed|delayed delivery|still undelivered|will be attempted again|could not be delivered for \d+ hours", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelayWords();

    [GeneratedRegex(@"(^|[\s(:\[#""'-])([245]\.\d{1,3}\.\d{1,3}|[45][0-5]\d[ -]|#[45]\.\d)|\b(smtp|remote|host) (error|server|said)|\bsaid:|\berror:|\breason:|\bdiagnostic|\bstatus:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodedLine();

    [GeneratedRegex(@"^[ \t>]*(-{2,} ?(original message|below this line|this is a copy|the (header|headers|text|first \d+ lines)|a copy of|message header|start of (returned|original)|returned (message|mail)|forwarded message|original headers)|-+ ?(original|returned|undelivered) (message|mail)|original message (follows|headers)|--- ?below this line is a copy|(the )?original message (was|is) (attached|included|below|follows)|this is a copy of the message|\*\*\* ?(original|returned) message|------ ?this is a copy|^received: from|^return-path:)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex QuoteStart();

    [GeneratedRegex(@"^[ \t]*(Final-Recipient|Original-Recipient|Action|Status|Diagnostic-Code|Remote-MTA|Reporting-MTA)[ \t]*:[ \t]*(.+(?:\n[ \t]+.+)*)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReportField();

    [GeneratedRegex(@"quarantin|on hold|held for|moderat|approval|submitted to (the )?(editor|moderator)|permanent", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Held();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"<(br|/p|/div|/tr|/li)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlBreak();
}
