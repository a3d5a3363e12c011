using System.Globalization;
using Newsletter.Tests.Fixtures;
using Newsletter.Tests.Subscribers;

namespace Newsletter.Tests.Mail;

/// <summary>
/// A line break in any value that reaches a header (the reader's name, the From and Reply-To
/// settings) adds no header. The comparison title in a subject: DigestPreviewTests.
/// </summary>
public sealed class HeaderInjectionTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private NewsletterApp _app = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _app = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = _sink.Host,
            ["Smtp:Port"] = _sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Subscribers:SignupsPerMinutePerIp"] = "100000",
            ["Newsletter:Name"] = "Verdicts\r\nBcc: name@evil.example",
            ["Newsletter:From"] = "\"Verdicts\r\nBcc: from@evil.example\" <digest@verdicts.example.com>",
            ["Newsletter:ReplyTo"] = "\"Editors\r\nBcc: reply@evil.example\" <editors@verdicts.example.com>",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task LineBreaksInTheNameAndTheFromAndReplyToSettingsAddNoHeader()
    {
        var client = _app.CreateClient();
        var email = SignupFixture.NewAddress("crlf");

        await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", email), new("name", "Ann\r\nBcc: reader@evil.example\r\n\r\nbody")]));

        var mail = Assert.Single(await _sink.WaitForMessagesAsync(1));
        Assert.Equal([email], mail.Recipients);
        Assert.DoesNotContain(mail.Message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(mail.Message.Bcc);
        Assert.Equal("digest@verdicts.example.com", Assert.Single(mail.Message.From.Mailboxes).Address);
        Assert.Equal("editors@verdicts.example.com", Assert.Single(mail.Message.ReplyTo.Mailboxes).Address);
        Assert.Equal(email, Assert.Single(mail.Message.To.Mailboxes).Address);
        Assert.All(mail.Message.Headers, h => Assert.DoesNotContain("evil.example", h.Field, StringComparison.Ordinal));
    }
}
