using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// The one place mails are built: From/Reply-To from the options, multipart/alternative text and
/// HTML in UTF-8, a Message-ID, the bulk-sender headers, and a DKIM signature when configured.
/// Nothing from content or a subscriber reaches a header raw: MimeKit encodes the values, and line
/// breaks and other control characters are folded to spaces first.
/// </summary>
public sealed class MailFactory(IOptions<NewsletterOptions> options, DkimSigner? signer = null, Verp? verp = null)
{
    private readonly NewsletterOptions _options = options.Value;
    private readonly MailboxAddress _from = MailboxAddress.Parse(options.Value.From);
    private readonly MailboxAddress? _replyTo =
        string.IsNullOrWhiteSpace(options.Value.ReplyTo) ? null : MailboxAddress.Parse(options.Value.ReplyTo);
    private readonly string _domain = MailboxAddress.Parse(options.Value.From).Domain;

    public MimeMessage Build(OutgoingMail mail)
    {
        // A fresh address per message: an address list subscribes to its addresses' Changed
        // events, so one shared MailboxAddress would keep every message ever built alive.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(_from.Name, _from.Address));
        if (_replyTo is not null)
        {
            message.ReplyTo.Add(new MailboxAddress(_replyTo.Name, _replyTo.Address));
        }

        message.To.Add(new MailboxAddress(HeaderText(mail.To.Name), mail.To.Address));
        message.Subject = HeaderText(mail.Subject);
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = (mail.MessageIdKey ?? Guid.NewGuid().ToString("N")) + "@" + _domain;

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
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            message.Headers.Add("List-Id", HeaderText(_options.ListId));
            message.Headers.Add("Precedence", "bulk");
        }

        // Text and HTML as UTF-8 quoted-printable, already encoded with CRLF (QuotedPrintable); a
        // templated body's shared lines were encoded once per issue (BodyTemplate).
        message.Body = new EncodedAlternative(mail.Text.Encode(), mail.Html.Encode());

        // MimeKit would add it only when the mail is first written: present now, it is signed as before.
        message.Headers.Add(HeaderId.MimeVersion, "1.0");
        signer?.Sign(message);
        return message;
    }

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
