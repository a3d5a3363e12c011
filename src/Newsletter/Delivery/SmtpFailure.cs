using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Newsletter.Delivery;

/// <summary>What became of one mail handed to a messenger.</summary>
public enum SendResult
{
    Sent,

    /// <summary>Worth another try later: a 4xx reply, a timeout, a dropped connection.</summary>
    Temporary,

    /// <summary>The server refused this recipient for good (5xx on RCPT): the subscriber bounced.</summary>
    RecipientRejected,

    /// <summary>The server refused this mail for good (5xx on MAIL or DATA); the address may be fine.</summary>
    Rejected,

    /// <summary>
    /// The server cannot be reached at all (connection refused, greeting refused, TLS or login failed):
    /// nobody can be sent to, so the send pauses and this mail's attempt does not count.
    /// </summary>
    Unavailable,
}

/// <summary>A <see cref="SendResult"/> with the server's words (or the exception's) for LastError.</summary>
public readonly record struct SendOutcome(SendResult Result, string? Error = null)
{
    public static SendOutcome Sent { get; } = new(SendResult.Sent);
}

/// <summary>Reads MailKit's exceptions as temporary, permanent or "server down" (one place).</summary>
public static class SmtpFailure
{
    /// <summary>A failure while sending one mail over an open connection.</summary>
    public static SendOutcome Classify(Exception e) => e switch
    {
        SmtpCommandException { StatusCode: var code } c when (int)code >= 500 =>
            new(c.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? SendResult.RecipientRejected : SendResult.Rejected, Describe(e)),
        SmtpCommandException => new(SendResult.Temporary, Describe(e)),
        SmtpProtocolException or IOException or SocketException or TimeoutException or ServiceNotConnectedException or OperationCanceledException =>
            new(SendResult.Temporary, Describe(e)),
        _ => new(SendResult.Temporary, Describe(e)),
    };

    /// <summary>
    /// Whether the connection is worth nothing after this failure: anything but a clean 4xx/5xx reply,
    /// and 421, with which the server announces it is closing the connection.
    /// </summary>
    public static bool LosesConnection(Exception e) =>
        e is not SmtpCommandException c || c.StatusCode == SmtpStatusCode.ServiceNotAvailable;

    /// <summary>A failure to connect, say hello, start TLS or log in: the server is unavailable.</summary>
    public static SendOutcome ClassifyConnect(Exception e) => new(SendResult.Unavailable, Describe(e));

    /// <summary>"SMTP 550 (RecipientNotAccepted): 5.1.1 unknown user" or the exception's message.</summary>
    public static string Describe(Exception e)
    {
        var text = e switch
        {
            SmtpCommandException c => $"SMTP {(int)c.StatusCode} ({c.ErrorCode}): {c.Message}",
            AuthenticationException => "SMTP authentication failed: " + e.Message,
            SslHandshakeException => "TLS handshake failed: " + e.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return text.Length <= 500 ? text : text[..500];
    }
}
