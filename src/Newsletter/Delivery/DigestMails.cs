using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Mail;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>One reader's digest mail: the shared rendering with their personal parts, built by MailFactory.</summary>
public sealed class DigestMails(MailFactory mails, Verp verp, IOptions<NewsletterOptions> options)
{
    public MimeMessage Build(PreparedDigest digest, ClaimedDelivery d)
    {
        // Readers' choices: the selection fixed for this reader when the issue was made.
        digest = digest.SelectedFor(d.SubscriberId);
        var rendered = digest.RenderFor(new DigestReader(d.Email!, d.Name, d.UnsubscribeToken!));
        return mails.Build(new OutgoingMail(new MailboxAddress(d.Name ?? "", d.Email!), digest.SubjectOfVariant(d.Variant), rendered.Html, rendered.Text)
        {
            MessageIdKey = $"issue-{digest.Number}.subscriber-{d.SubscriberId}",
            Recipient = new VerpRecipient(digest.Number, d.SubscriberId!.Value),
            Unsubscribe = new UnsubscribeLinks(options.Value.Unsubscribe(d.UnsubscribeToken!), options.Value.UnsubscribeMailto(d.UnsubscribeToken!)),
        });
    }

    /// <summary>The envelope sender: bounces+TOKEN@… with Bounces:ReturnPath set (VERP), else null (the From address).</summary>
    public MailboxAddress? EnvelopeSender(MimeMessage message) => verp.EnvelopeSender(message) is { } address ? MailboxAddress.Parse(address) : null;
}
