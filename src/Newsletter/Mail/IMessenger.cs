using MimeKit;
using Newsletter.Hosting;

namespace Newsletter.Mail;

/// <summary>
/// Pushes one mail out and says what became of it. One messenger per connection: it may keep a
/// connection open across mails, so it is not shared between connections. It blocks: each connection
/// of a send has a thread of its own (the delivery engine's SendWorker says why). The
/// delivery engine knows only this.
/// </summary>
public interface IMessenger : IDisposable
{
    /// <summary>
    /// Sends <paramref name="message"/> to its To addresses. <paramref name="envelopeSender"/> is the
    /// SMTP MAIL FROM (e.g. a VERP bounce address); null: the message's From. Never throws for a mail
    /// the server refused or could not take; only for cancellation.
    /// </summary>
    SendOutcome Send(MimeMessage message, MailboxAddress? envelopeSender, CancellationToken cancellationToken);
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
        ? new PickupMessenger(environment.ResolveDataPath(options.Value.PickupDirectory))
        : new SmtpMessenger(connector);
}
