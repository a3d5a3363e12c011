using MailKit.Net.Smtp;
using MailKit.Security;
using Newsletter.Mail.Failures;

namespace Newsletter.Mail;

/// <summary>What became of one mail handed to a messenger.</summary>
public enum SendResult
{
    Sent,

    /// <summary>Worth another try later: a 4xx reply, a timeout, a dropped connection.</summary>
    Temporary,

    /// <summary>
    /// The server refused the recipient for good and said the address is the problem: a 5xx on RCPT
    /// that <see cref="FailureRules"/> reads as a hard failure (user-unknown, host-unknown,
    /// mailbox-disabled). Every mail goes through one relay, so the outcome policy bounces the reader
    /// only once mail to another domain went through around the refusal.
    /// </summary>
    RecipientUnknown,

    /// <summary>
    /// Any other permanent refusal (5xx on MAIL or DATA, or on RCPT for a reason that is not a dead
    /// address: 5.7.1 relay denied, a blocklisting, mailbox full, a bare 550 …): about us, this mail
    /// or a mailbox problem that may pass, never a bounce.
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

/// <summary>
/// A <see cref="SendResult"/> with the server's words (or the exception's) for LastError, and for a
/// refusal what <see cref="FailureRules"/> made of it (reason, status code), kept with the delivery.
/// </summary>
public readonly record struct SendOutcome(SendResult Result, string? Error = null, FailureVerdict? Failure = null)
{
    public static SendOutcome Sent { get; } = new(SendResult.Sent);
}

/// <summary>Reads MailKit's exceptions as temporary, permanent or "server down" (one place).</summary>
public static class SmtpFailure
{
    /// <summary>A failure while sending one mail over an open connection.</summary>
    public static SendOutcome Classify(Exception e) => e switch
    {
        SmtpCommandException { StatusCode: var code } c when (int)code >= 500 => Permanent(c),
        SmtpCommandException c => new(SendResult.Temporary, Describe(e), FailureRules.Classify((int)c.StatusCode, null, c.Message)),
        _ => new(SendResult.Temporary, Describe(e)),
    };

    /// <summary>
    /// A permanent refusal through the one table. Only a refusal of the recipient can be about the
    /// address; a 5xx on MAIL FROM or DATA is about us or this mail even when its words say otherwise.
    /// </summary>
    private static SendOutcome Permanent(SmtpCommandException c)
    {
        var verdict = FailureRules.Classify((int)c.StatusCode, null, c.Message);
        if (c.ErrorCode == SmtpErrorCode.RecipientNotAccepted && verdict.Consequence == FailureConsequence.Hard)
        {
            return new(SendResult.RecipientUnknown, Describe(c), verdict);
        }

        return new(SendResult.Refused, Describe(c),
            verdict.Consequence == FailureConsequence.Hard ? verdict with { Consequence = FailureConsequence.Soft } : verdict);
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
}
