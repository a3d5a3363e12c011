using System.Text.Encodings.Web;
using Newsletter.Hosting;

namespace Newsletter.Subscribers;

/// <summary>The one place the links we mail to readers are made.</summary>
public static class SubscriberLinks
{
    public static string Confirm(this NewsletterOptions options, string token) =>
        options.Link("/confirm?token=" + UrlEncoder.Default.Encode(token));

    public static string Unsubscribe(this NewsletterOptions options, string token) =>
        options.Link("/unsubscribe?token=" + UrlEncoder.Default.Encode(token));

    /// <summary>The reader's preference page: the same per-reader token as unsubscribe's.</summary>
    public static string Preferences(this NewsletterOptions options, string token) =>
        options.Link("/preferences?token=" + UrlEncoder.Default.Encode(token));

    /// <summary>The List-Unsubscribe mailto fallback: a mail to the sender naming the token.</summary>
    public static string UnsubscribeMailto(this NewsletterOptions options, string token)
    {
        var address = MimeKit.MailboxAddress.Parse(string.IsNullOrWhiteSpace(options.ReplyTo) ? options.From : options.ReplyTo).Address;
        return $"mailto:{address}?subject={Uri.EscapeDataString("unsubscribe " + token)}";
    }

    public static string WebVersion(this NewsletterOptions options, int issueNumber) =>
        options.Link($"/issues/{issueNumber}");
}
