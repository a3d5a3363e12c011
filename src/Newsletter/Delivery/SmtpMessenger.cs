using MailKit.Net.Smtp;
using MimeKit;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// One long-lived SMTP connection: opened on the first mail, kept open for the next ones, and opened
/// again when the server dropped it. A connection that cannot be (re)opened means the server is
/// unavailable, which the engine answers by pausing the send rather than by spending attempts.
/// </summary>
public sealed class SmtpMessenger(SmtpConnector connector) : IMessenger
{
    private SmtpClient? _client;

    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (_client is not { IsConnected: true } && await ConnectAsync(cancellationToken) is { } down)
        {
            return down;
        }

        try
        {
            await _client!.SendAsync(message, cancellationToken);
            return SendOutcome.Sent;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var outcome = SmtpFailure.Classify(e);
            if (SmtpFailure.LosesConnection(e) || !_client!.IsConnected)
            {
                // The connection is gone. If the server takes a new one, this mail was unlucky and
                // is retried later; if not, the server is down for everyone and nothing counts.
                if (await ConnectAsync(cancellationToken) is { } unavailable)
                {
                    return unavailable with { Error = outcome.Error + "; then " + unavailable.Error };
                }
            }

            return outcome;
        }
    }

    public async ValueTask DisposeAsync()
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
                await _client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or MailKit.ProtocolException or System.Net.Sockets.SocketException or MailKit.CommandException)
        {
            // Saying goodbye to a server that is already gone changes nothing.
        }

        _client.Dispose();
        _client = null;
    }

    /// <summary>(Re)connects; null when connected, else the reason the server is unavailable.</summary>
    private async Task<SendOutcome?> ConnectAsync(CancellationToken cancellationToken)
    {
        _client?.Dispose();
        _client = null;
        try
        {
            _client = await connector.ConnectAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return SmtpFailure.ClassifyConnect(e);
        }
    }
}
