using MimeKit;

namespace Newsletter.Subscribers;

/// <summary>
/// Builds the welcome mail of a reader who just confirmed. Digests implements it (what the mail
/// shows is the latest issue's comparisons, which are Digests'); <see cref="ConfirmationMailer"/>
/// sends it from the same database queue as the confirmation mails.
/// </summary>
public interface IWelcomeMail
{
    Task<MimeMessage> BuildAsync(Subscriber subscriber, CancellationToken cancellationToken);
}
