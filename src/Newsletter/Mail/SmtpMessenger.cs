using System.Globalization;
using System.Text;
using MailKit.Net.Smtp;
using MimeKit;

namespace Newsletter.Mail;

/// <summary>
/// One long-lived SMTP connection: opened on the first mail, kept open for the next ones, and opened
/// again when the server dropped it. A connection that cannot be (re)opened means the server is
/// unavailable, which the engine answers by pausing the send rather than by spending attempts.
/// Its calls block (see <see cref="IMessenger"/>).
/// </summary>
public sealed class SmtpMessenger(SmtpConnector connector) : IMessenger
{
    private static readonly IdnMapping Idn = new();
    private SmtpClient? _client;

    public SendOutcome Send(MimeMessage message, MailboxAddress? envelopeSender, CancellationToken cancellationToken)
    {
        if (_client is not { IsConnected: true } && Connect(cancellationToken) is { } down)
        {
            return down;
        }

        var utf8 = _client!.Capabilities.HasFlag(SmtpCapabilities.UTF8);
        var sender = Envelope(envelopeSender ?? message.From.Mailboxes.First(), utf8, out var problem);
        var recipients = new List<MailboxAddress>();
        foreach (var to in message.To.Mailboxes)
        {
            recipients.Add(Envelope(to, utf8, out var toProblem));
            problem ??= toProblem;
        }

        if (problem is not null)
        {
            return new SendOutcome(SendResult.NotSendable, problem);
        }

        try
        {
            // No token for MailKit: given one, it polls the socket before every read to watch it (a
            // system call more per read, about 15% more CPU for the exchange). Cancelling closes the
            // connection instead, which also ends a read that is waiting at once.
            using (cancellationToken.Register(static client => ((SmtpClient)client!).Dispose(), _client))
            {
                _client.Send(message, sender, recipients);
            }

            return SendOutcome.Sent;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            Abandon();
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e)
        {
            var outcome = SmtpFailure.Classify(e);
            if (SmtpFailure.LosesConnection(e) || !_client.IsConnected)
            {
                // The connection is gone. If the server takes a new one, this mail was unlucky and
                // is retried later; if not, the server is down for everyone and nothing counts.
                if (Connect(cancellationToken) is { } unavailable)
                {
                    return unavailable with { Error = outcome.Error + "; then " + unavailable.Error };
                }
            }

            return outcome;
        }
    }

    /// <summary>
    /// The address as the envelope carries it. A server without SMTPUTF8 gets an international
    /// domain as punycode (IDNA, what DNS resolves anyway), but cannot carry a non-ASCII local part
    /// at all: no encoding of it exists, and raw UTF-8 breaks RFC 5321. That is <paramref name="problem"/>.
    /// </summary>
    private static MailboxAddress Envelope(MailboxAddress address, bool utf8, out string? problem)
    {
        problem = null;
        var at = address.Address.LastIndexOf('@');
        if (utf8 || at < 0 || Ascii.IsValid(address.Address))
        {
            return new MailboxAddress("", address.Address);
        }

        var local = address.Address[..at];
        var domain = address.Address[(at + 1)..];
        if (!Ascii.IsValid(local))
        {
            problem = $"<{address.Address}> has a non-ASCII local part and the SMTP server does not announce SMTPUTF8, so it cannot carry it";
            return address;
        }

        try
        {
            return new MailboxAddress("", local + "@" + Idn.GetAscii(domain));
        }
        catch (ArgumentException e)
        {
            problem = $"<{address.Address}>: the domain is not a valid international domain name ({e.Message})";
            return address;
        }
    }

    public void Dispose()
    {
        if (_client is null)
        {
            return;
        }

        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                _client.Disconnect(quit: true, timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or MailKit.ProtocolException or System.Net.Sockets.SocketException or MailKit.CommandException)
        {
            // Saying goodbye to a server that is already gone changes nothing.
        }

        Abandon();
    }

    /// <summary>(Re)connects; null when connected, else the reason the server is unavailable.</summary>
    private SendOutcome? Connect(CancellationToken cancellationToken)
    {
        Abandon();
        try
        {
            _client = connector.Connect(cancellationToken);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return SmtpFailure.ClassifyConnect(e);
        }
    }

    private void Abandon()
    {
        _client?.Dispose();
        _client = null;
    }
}
