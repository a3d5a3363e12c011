using MimeKit;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// Pushes one mail out and says what became of it. One messenger per sending task: it may keep a
/// connection open across mails, so it is not shared between tasks. The delivery engine knows only this.
/// </summary>
public interface IMessenger : IAsyncDisposable
{
    /// <summary>
    /// Sends <paramref name="message"/> to its To addresses. <paramref name="envelopeSender"/> is the
    /// SMTP MAIL FROM (e.g. a VERP bounce address); null: the message's From. Never throws for a mail
    /// the server refused or could not take; only for cancellation.
    /// </summary>
    Task<SendOutcome> SendAsync(MimeMessage message, MailboxAddress? envelopeSender, CancellationToken cancellationToken);
}

/// <summary>Makes the messengers for a send: SMTP when Smtp:Host is set, else the pickup folder.</summary>
public interface IMessengerFactory
{
    IMessenger Create();
}

public sealed class MessengerFactory(
    Microsoft.Extensions.Options.IOptions<SmtpOptions> options, SmtpConnector connector, IHostEnvironment environment) : IMessengerFactory
{
    public IMessenger Create() => options.Value.UsesPickupDirectory
        ? new PickupMessenger(environment.ResolvePath(options.Value.PickupDirectory))
        : new SmtpMessenger(connector);
}
