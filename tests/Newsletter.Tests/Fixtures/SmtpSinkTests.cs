using MailKit.Net.Smtp;
using MimeKit;

namespace Newsletter.Tests.Fixtures;

/// <summary>The SMTP fixture itself: what MailKit hands the sink comes back intact.</summary>
public sealed class SmtpSinkTests
{
    [Fact]
    public async Task SinkKeepsEachMessageWithItsEnvelope()
    {
        await using var sink = await SmtpSink.StartAsync();
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("from@example.com"));
        message.To.Add(MailboxAddress.Parse("reader@example.com"));
        message.Subject = "Grüße <b>";
        message.Body = new TextPart("plain") { Text = "hello" };

        using (var client = new SmtpClient())
        {
            await client.ConnectAsync(sink.Host, sink.Port, MailKit.Security.SecureSocketOptions.None);
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        var received = Assert.Single(await sink.WaitForMessagesAsync(1));
        Assert.Equal(["reader@example.com"], received.Recipients);
        Assert.Equal("Grüße <b>", received.Message.Subject);
        Assert.Equal("hello", received.Text.Trim());
    }
}
