using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Newsletter.Mail;

/// <summary>What became of one mail handed to a messenger.</summary>
public enum SendResult
{
    Sent,

    /// <summary>Worth another try later: a 4xx reply, a timeout, a dropped connection.</summary>
    Temporary,

    /// <summary>
    /// The server refused the recipient for good and said the address is the problem (5xx on RCPT with
    /// enhanced code 5.1.x, bad or unknown mailbox, or 5.2.1, mailbox disabled): the reader bounced.
    /// </summary>
    RecipientUnknown,

    /// <summary>
    /// 5xx on RCPT with no enhanced code: probably about the recipient, but a server that refuses
    /// everyone answers the same. The outcome policy decides by what the other mails meet.
    /// </summary>
    RecipientRefused,

    /// <summary>
    /// Any other permanent refusal (5xx on MAIL or DATA, or on RCPT with a code that is not about the
    /// address: 5.7.1 relay denied, a blocklisting, 5.3.0 …): about us or this mail, not the reader.
    /// </summary>
    Refused,

    /// <summary>
    /// This mail cannot be offered to this server at all (an address with a non-ASCII local part and
    /// no SMTPUTF8): fails this delivery, nothing is attempted, the reader is not bounced.
    /// </summary>
    NotSendable,

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
public static partial class SmtpFailure
{
    /// <summary>A failure while sending one mail over an open connection.</summary>
    public static SendOutcome Classify(Exception e) => e switch
    {
        SmtpCommandException { StatusCode: var code } c when (int)code >= 500 => new(Permanent(c), Describe(e)),
        SmtpCommandException => new(SendResult.Temporary, Describe(e)),
        _ => new(SendResult.Temporary, Describe(e)),
    };

    private static SendResult Permanent(SmtpCommandException c)
    {
        if (c.ErrorCode != SmtpErrorCode.RecipientNotAccepted)
        {
            return SendResult.Refused;
        }

        var enhanced = EnhancedCode().Match(c.Message);
        if (!enhanced.Success)
        {
            return SendResult.RecipientRefused;
        }

        // RFC 3463: X.1.Y is about the address (bad mailbox, unknown user, bad domain …); X.2.1 is a
        // mailbox that is disabled. Everything else (X.7.1 denied, X.3.0 system, X.0.0 other) is not.
        var subject = enhanced.Groups[1].Value;
        var detail = enhanced.Groups[2].Value;
        return subject == "1" || (subject == "2" && detail == "1") ? SendResult.RecipientUnknown : SendResult.Refused;
    }

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

    /// <summary>An RFC 3463 enhanced status code at the start of the reply text: "5.1.1 …".</summary>
    [GeneratedRegex(@"^\s*5\.(\d{1,3})\.(\d{1,3})\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedCode();
}
