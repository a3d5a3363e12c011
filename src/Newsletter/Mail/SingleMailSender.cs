using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// <see cref="IMailSender"/> for the odd mail: one SMTP connection per mail (confirmations and
/// previews are rare), or a .eml file in the pickup folder when no SMTP host is set.
/// </summary>
public sealed class SingleMailSender(IOptions<SmtpOptions> options, SmtpConnector connector, Verp verp, IHostEnvironment environment) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (options.Value.UsesPickupDirectory)
        {
            PickupDirectory.Write(environment.ResolveDataPath(options.Value.PickupDirectory), message, cancellationToken);
            return;
        }

        using var client = await connector.ConnectAsync(cancellationToken);
        // With Bounces:ReturnPath set, a confirmation or preview bounces to the bounce mailbox too.
        if (verp.EnvelopeSender(message) is { } sender)
        {
            await client.SendAsync(message, MailboxAddress.Parse(sender), message.To.Mailboxes, cancellationToken);
        }
        else
        {
            await client.SendAsync(message, cancellationToken);
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>Writes mails as .eml files, the way an MTA's pickup folder expects them.</summary>
public static class PickupDirectory
{
    /// <summary>Blocking: the file is one mail, and a send's connections write from threads of their own.</summary>
    public static void Write(string folder, MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);

        // Write under a temporary name and rename, so a reader of the folder never sees half a mail.
        var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        var temp = Path.Combine(folder, name + ".tmp");
        message.WriteTo(temp, cancellationToken);
        File.Move(temp, Path.Combine(folder, name + ".eml"));
    }
}
