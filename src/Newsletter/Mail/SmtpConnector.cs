using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Newsletter.Mail;

/// <summary>Opens MailKit SMTP connections the way Smtp:* says: host, port, TLS, credentials.</summary>
public sealed class SmtpConnector(IOptions<SmtpOptions> options)
{
    private readonly SmtpOptions _options = options.Value;

    public async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = NewClient();
        try
        {
            var socket = NewSocket();
            try
            {
                await socket.ConnectAsync(_options.Host!, _options.Port, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            await client.ConnectAsync(socket, _options.Host!, _options.Port, SecureSocket(_options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same connection for a caller that blocks (a send's connections, each on its own thread).
    /// Blocking from the start matters: once a socket has done one async call, .NET makes it
    /// non-blocking for good and routes even blocking calls through its event thread.
    /// </summary>
    public SmtpClient Connect(CancellationToken cancellationToken)
    {
        var client = NewClient();
        try
        {
            var socket = NewSocket();
            try
            {
                using (cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket))
                {
                    socket.Connect(_options.Host!, _options.Port);
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new OperationCanceledException(cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            // Blocking, so .NET's own NetworkStream serves (its timeouts hold for blocking calls); a
            // mail's writes held until MailKit flushes (WriteCoalescingStream).
            client.Connect(new WriteCoalescingStream(new NetworkStream(socket, ownsSocket: true)), _options.Host!, _options.Port,
                SecureSocket(_options.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                client.Authenticate(_options.UserName, _options.Password ?? "", cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static SmtpClient NewClient() => new() { Timeout = 60_000 };

    /// <summary>
    /// Our own socket with Nagle off: MailKit's pipelined writes otherwise wait for a delayed ACK on
    /// every message (about 22 mails/s per connection instead of several hundred).
    /// </summary>
    private static Socket NewSocket() => new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private static SecureSocketOptions SecureSocket(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
