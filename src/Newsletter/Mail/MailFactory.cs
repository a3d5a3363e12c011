using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// The one place mails are built: From/Reply-To from the options, multipart/alternative text and
/// HTML in UTF-8, a Message-ID, the bulk-sender headers (with a Feedback-ID on digests), and a DKIM
/// signature when configured.
/// Nothing from content or a subscriber reaches a header raw: MimeKit encodes the values, and line
/// breaks and other control characters are folded to spaces first.
/// </summary>
public sealed class MailFactory(IOptions<NewsletterOptions> options, DkimSigner? signer = null, Verp? verp = null)
{
    private readonly NewsletterOptions _options = options.Value;
    private readonly string _domain = MailboxAddress.Parse(options.Value.From).Domain;
    private readonly SharedHeaders _shared = SharedHeaders.From(options.Value);

    /// <summary>The last subject and its header, encoded once: every reader of an issue has the same one.</summary>
    private volatile EncodedSubject? _subject;

    public MimeMessage Build(OutgoingMail mail)
    {
        // The headers every mail of this factory shares were encoded once (SharedHeaders); each mail
        // gets copies that point to the same bytes. A copy, not the same Header: a header list
        // subscribes to its headers' Changed events, so one shared Header would keep every message
        // ever built alive. The message is made from the list, so MimeKit parses none of it again.
        var message = new MimeMessage(_shared.For(mail.Unsubscribe is not null, SubjectHeader(mail.Subject)));
        message.To.Add(new MailboxAddress(HeaderText(mail.To.Name), mail.To.Address));
        // Date and Message-Id are ours (a clock, our key, the configured domain): written as bytes.
        message.Headers.Add(RawHeader.Date(DateTimeOffset.UtcNow));
        var messageIdKey = mail.MessageIdKey ?? Guid.NewGuid().ToString("N");
        if (RawHeader.MessageId(messageIdKey, _domain) is { } messageId)
        {
            message.Headers.Add(messageId);
        }
        else
        {
            message.MessageId = messageIdKey + "@" + _domain;
        }

        // VERP: the signed token of this delivery rides in a header, for reports that quote only
        // the original (ARF); the engine reads it back for the envelope sender (Verp.EnvelopeSender).
        var verpRecipient = verp is { Enabled: true } && mail.Recipient is { } r ? r : (VerpRecipient?)null;
        if (verpRecipient is { } recipient)
        {
            message.Headers.Add(Verp.TokenHeader, verp!.BounceToken(recipient));
        }

        if (mail.Unsubscribe is { } unsubscribe)
        {
            // With VERP, the mailto reaches the bounce mailbox, where a mail to it unsubscribes.
            var mailto = verpRecipient is { } target ? $"mailto:{verp!.UnsubscribeAddress(target)}?subject=unsubscribe" : unsubscribe.Mailto;
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe.Url}>, <{mailto}>");

            // Gmail reports no single complaint: its feedback loop counts them per value of this
            // header (campaign:type:list:sender id), so an issue with many complaints shows there.
            if (mail.Recipient is { } delivery)
            {
                message.Headers.Add("Feedback-ID", FeedbackId(delivery.IssueNumber));
            }
        }

        // Text and HTML as UTF-8 quoted-printable, already encoded with CRLF (QuotedPrintable); a
        // templated body's shared lines were encoded once per issue (BodyTemplate).
        message.Body = new EncodedAlternative(mail.Text.Encode(), mail.Html.Encode());
        signer?.Sign(message);
        return message;
    }

    /// <summary>"issue-7:digest:newsletter:verdicts.example.com": the issue, the kind, the list, and the sender's domain as its id.</summary>
    public string FeedbackId(int issueNumber) => $"issue-{issueNumber}:digest:newsletter:{_domain}";

    private Header SubjectHeader(string subject)
    {
        var cached = _subject;
        if (cached is null || !string.Equals(cached.Text, subject, StringComparison.Ordinal))
        {
            cached = new EncodedSubject(subject, new Header(HeaderId.Subject, HeaderText(subject)));
            _subject = cached;
        }

        return cached.Header.Clone();
    }

    private sealed record EncodedSubject(string Text, Header Header);

    /// <summary>Header values are one line: CR, LF and other control characters become spaces.</summary>
    public static string HeaderText(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
