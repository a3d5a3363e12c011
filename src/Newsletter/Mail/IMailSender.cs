using MimeKit;

namespace Newsletter.Mail;

/// <summary>
/// Sends single mails that are not part of a digest send: confirmations and previews. Over SMTP when
/// Smtp:Host is set, else as .eml files in Smtp:PickupDirectory.
/// </summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
