using MimeKit;

namespace Newsletter.Mail;

/// <summary>
/// What a feature wants sent: who to, the subject and both bodies. Digest mails also carry the
/// bulk-sender headers (List-Unsubscribe, List-Id) through <see cref="Unsubscribe"/>. A body is text
/// (a string converts) or an issue's shared template with the reader's values (<see cref="MailBody"/>).
/// </summary>
public sealed record OutgoingMail(MailboxAddress To, string Subject, MailBody Html, MailBody Text)
{
    /// <summary>Stable Message-ID local part (e.g. "issue-3.subscriber-42"); random when null.</summary>
    public string? MessageIdKey { get; init; }

    /// <summary>Set on digest mails: the reader's one-click unsubscribe target.</summary>
    public UnsubscribeLinks? Unsubscribe { get; init; }

    /// <summary>
    /// Set on digest mails: the delivery (issue and reader). With Bounces:ReturnPath set, MailFactory
    /// puts its signed token in the X-Newsletter-Token header and the List-Unsubscribe mailto.
    /// </summary>
    public VerpRecipient? Recipient { get; init; }
}

/// <summary>The https one-click URL (RFC 8058 POST target) and the mailto fallback.</summary>
public sealed record UnsubscribeLinks(string Url, string Mailto);
