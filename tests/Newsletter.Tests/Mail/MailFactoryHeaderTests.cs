using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;
using Newsletter.Mail;

namespace Newsletter.Tests.Mail;

/// <summary>
/// The header fields MailFactory writes from bytes prepared once (the shared block, the subject of an
/// issue, Date, Message-Id) read back as what a mail client shows, for every mail on its own.
/// </summary>
public sealed class MailFactoryHeaderTests
{
    private readonly MailFactory _factory = new(Options.Create(new NewsletterOptions
    {
        PublicBaseUrl = "https://verdicts.example.com",
        From = "Verdicts Ünd Co <digest@verdicts.example.com>",
        ReplyTo = "Editors <editors@verdicts.example.com>",
    }));

    [Fact]
    public void EachMailReadsBackWithItsOwnRecipientSubjectDateAndMessageId()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var first = Received(_factory.Build(Mail("Ada Lovelace", "ada@example.com", "Issue #1: Größe\r\nBcc: x@evil.example", "issue-1.subscriber-7")));
        var second = Received(_factory.Build(Mail("Grace", "grace@example.com", "Issue #2", "issue-2.subscriber-8")));

        Assert.Equal("Verdicts Ünd Co", first.From.Mailboxes.Single().Name);
        Assert.Equal("digest@verdicts.example.com", first.From.Mailboxes.Single().Address);
        Assert.Equal("editors@verdicts.example.com", first.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("ada@example.com", first.To.Mailboxes.Single().Address);
        Assert.Equal("Issue #1: Größe  Bcc: x@evil.example", first.Subject);
        Assert.False(first.Headers.Contains(HeaderId.Bcc));
        Assert.Equal("issue-1.subscriber-7@verdicts.example.com", first.MessageId);
        Assert.InRange(first.Date, before, DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal("grace@example.com", second.To.Mailboxes.Single().Address);
        Assert.Equal("Issue #2", second.Subject);
        Assert.Equal("issue-2.subscriber-8@verdicts.example.com", second.MessageId);
        Assert.Equal("1.0", second.Headers[HeaderId.MimeVersion]);
        Assert.Equal("bulk", second.Headers["Precedence"]);
        Assert.Single(second.Headers, h => h.Id == HeaderId.From);
    }

    [Fact]
    public void ADigestMailCarriesAFeedbackIdNamingItsIssueForGmailsFeedbackLoop()
    {
        var digest = Mail("Ada", "ada@example.com", "Issue #7", "issue-7.subscriber-1") with { Recipient = new VerpRecipient(7, 1) };
        var confirmation = new OutgoingMail(new MailboxAddress("Ada", "ada@example.com"), "Please confirm", "<p>Hi</p>", "Hi");

        Assert.Equal("issue-7:digest:newsletter:verdicts.example.com", Received(_factory.Build(digest)).Headers["Feedback-ID"]);
        Assert.Null(Received(_factory.Build(confirmation)).Headers["Feedback-ID"]);
    }

    [Fact]
    public void AKeyOutsideThePlainCharactersStillGivesAValidMessageId()
    {
        var received = Received(_factory.Build(Mail("Ada", "ada@example.com", "Hi", "issue+1.subscriber=7")));

        Assert.Equal("issue+1.subscriber=7@verdicts.example.com", received.MessageId);
    }

    private static OutgoingMail Mail(string name, string address, string subject, string key) =>
        new(new MailboxAddress(name, address), subject, "<p>Hello</p>", "Hello")
        {
            MessageIdKey = key,
            Unsubscribe = new UnsubscribeLinks("https://verdicts.example.com/u/t", "mailto:u@verdicts.example.com?subject=t"),
        };

    /// <summary>The mail as a receiving client parses it from the bytes SMTP would send.</summary>
    private static MimeMessage Received(MimeMessage built)
    {
        using var wire = new MemoryStream();
        built.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, wire);
        wire.Position = 0;
        return MimeMessage.Load(wire);
    }
}
