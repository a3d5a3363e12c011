using MimeKit;

namespace Newsletter.Mail;

/// <summary>With no Smtp:Host: each mail becomes an .eml file in the pickup folder.</summary>
public sealed class PickupMessenger(string folder) : IMessenger
{
    public SendOutcome Send(MimeMessage message, MailboxAddress? envelopeSender, CancellationToken cancellationToken)
    {
        try
        {
            PickupDirectory.Write(folder, message, cancellationToken);
            return SendOutcome.Sent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            // A full or unwritable folder is everybody's problem: pause rather than fail readers.
            return new SendOutcome(SendResult.Unavailable, $"{e.GetType().Name}: {e.Message}");
        }
    }

    public void Dispose()
    {
    }
}
