using MimeKit;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// Pushes one mail out and says what became of it. One messenger per sending task: it may keep a
/// connection open across mails, so it is not shared between tasks. The engine knows only this.
/// </summary>
public interface IMessenger : IAsyncDisposable
{
    /// <summary>Never throws for a mail the server refused or could not take; only for cancellation.</summary>
    Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken);
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
        ? new PickupMessenger(Hosting.NewsletterHost.ResolvePath(environment, options.Value.PickupDirectory))
        : new SmtpMessenger(connector);
}
