using MimeKit;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// The header fields every mail of a sender shares (From, Reply-To, MIME-Version and, on digest
/// mails, List-Unsubscribe-Post, List-Id, Precedence), encoded by MimeKit once, as it would encode
/// them per mail; a mail gets clones of them, which point to the same raw bytes.
/// </summary>
internal sealed class SharedHeaders
{
    private readonly Header[] _always;
    private readonly Header[] _list;

    private SharedHeaders(Header[] always, Header[] list)
    {
        _always = always;
        _list = list;
    }

    public static SharedHeaders From(NewsletterOptions options)
    {
        // Built the ordinary way on a message of their own, so the bytes are MimeKit's.
        var prototype = new MimeMessage();
        prototype.Headers.Clear();
        prototype.From.Add(MailboxAddress.Parse(options.From));
        if (!string.IsNullOrWhiteSpace(options.ReplyTo))
        {
            prototype.ReplyTo.Add(MailboxAddress.Parse(options.ReplyTo));
        }

        prototype.Headers.Add(HeaderId.MimeVersion, "1.0");
        Header[] always = [.. prototype.Headers];
        Header[] list =
        [
            new Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            new Header("List-Id", MailFactory.HeaderText(options.ListId)),
            new Header("Precedence", "bulk"),
        ];
        return new SharedHeaders([.. always.Select(h => h.Clone())], list);
    }

    /// <summary>Fresh copies for one mail: the shared fields, the subject, and the list fields of a digest mail.</summary>
    public List<Header> For(bool listMail, Header subject)
    {
        var headers = new List<Header>(_always.Length + _list.Length + 1);
        foreach (var header in _always)
        {
            headers.Add(header.Clone());
        }

        headers.Add(subject);
        if (listMail)
        {
            foreach (var header in _list)
            {
                headers.Add(header.Clone());
            }
        }

        return headers;
    }
}
