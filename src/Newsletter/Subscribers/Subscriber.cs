namespace Newsletter.Subscribers;

public enum SubscriberStatus
{
    Pending,
    Confirmed,
    Unsubscribed,
    Bounced,

    /// <summary>Marked our mail as spam (a feedback-loop report): never mailed again, and no import brings them back.</summary>
    Complained,
}

/// <summary>A reader: their address, their consent, and the tokens in the links we mail them.</summary>
public sealed class Subscriber
{
    public long Id { get; set; }

    /// <summary>The address as entered, trimmed, with the domain lowercased.</summary>
    public required string Email { get; set; }

    /// <summary>The whole address lowercased: the same address in other case is the same subscriber.</summary>
    public required string EmailKey { get; set; }

    public string? Name { get; set; }

    public SubscriberStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When, from where and through what the reader gave consent (signup or import).</summary>
    public DateTimeOffset? ConsentAt { get; set; }

    public string? ConsentIp { get; set; }

    public string? ConsentSource { get; set; }

    /// <summary>When the reader pressed the confirm button (POST /confirm): the consent's confirmation.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The client IP of the confirming POST (a link scanner's GET confirms nothing, so this is the reader's).</summary>
    public string? ConfirmedIp { get; set; }

    /// <summary>The User-Agent of the confirming POST, at most 500 characters.</summary>
    public string? ConfirmedUserAgent { get; set; }

    public DateTimeOffset? UnsubscribedAt { get; set; }

    public DateTimeOffset? BouncedAt { get; set; }

    public DateTimeOffset? ComplainedAt { get; set; }

    /// <summary>Why mail to this reader stopped (the bounce's diagnostic, the complaint, the unsubscribe mail); null while it flows.</summary>
    public string? StoppedReason { get; set; }

    /// <summary>Soft bounces in a row, one per issue; an issue delivered in between starts the count again.</summary>
    public int SoftBounceCount { get; set; }

    /// <summary>The issue (id) of the last soft bounce counted.</summary>
    public long? LastSoftBounceIssueId { get; set; }

    /// <summary>SHA-256 of the pending confirmation token; the token itself is only in the mail.</summary>
    public string? ConfirmTokenHash { get; set; }

    public DateTimeOffset? ConfirmTokenExpiresAt { get; set; }

    /// <summary>When the last confirmation mail went out (the SMTP server took it); the resend block counts from here.</summary>
    public DateTimeOffset? ConfirmationSentAt { get; set; }

    /// <summary>
    /// A confirmation mail is owed from this time on; null when none is. The database is the queue:
    /// <see cref="ConfirmationMailer"/> sends what is due, so a mail survives a busy or stalled SMTP
    /// server and a restart.
    /// </summary>
    public DateTimeOffset? ConfirmationMailDueAt { get; set; }

    /// <summary>Failed tries of the owed confirmation mail, for the backoff.</summary>
    public int ConfirmationMailAttempts { get; set; }

    /// <summary>
    /// A welcome mail is owed from this time on (set when the reader confirms, with
    /// Subscribers:WelcomeMail on); null when none is. The same database queue as
    /// <see cref="ConfirmationMailDueAt"/>, sent by the same <see cref="ConfirmationMailer"/>.
    /// </summary>
    public DateTimeOffset? WelcomeMailDueAt { get; set; }

    /// <summary>Failed tries of the owed welcome mail, for the backoff.</summary>
    public int WelcomeMailAttempts { get; set; }

    /// <summary>
    /// The last time the form was posted for this address, whatever its state: every signup writes
    /// its row once, so the time of the answer does not tell a confirmed address from a new one.
    /// </summary>
    public DateTimeOffset? SignupAttemptAt { get; set; }

    /// <summary>
    /// The random token in every digest's unsubscribe links and List-Unsubscribe header. Kept in
    /// clear because each send writes it into the mail; it can only unsubscribe, nothing else.
    /// </summary>
    public required string UnsubscribeToken { get; set; }

    /// <summary>
    /// The one place a subscriber's status changes, with the timestamps that go with it. Leaving
    /// Pending for any other status voids a pending confirmation link, so a link clicked after an
    /// unsubscribe or a bounce cannot bring the reader back. <see cref="SubscriberStatusChanges"/>
    /// applies the same rules set-based (bounces) and skips the mail of one who leaves Confirmed;
    /// a caller saving a change away from Confirmed calls SubscriberStatusChanges.LeftConfirmedAsync in the same transaction.
    /// </summary>
    public void ChangeStatus(SubscriberStatus status, DateTimeOffset now)
    {
        if (status == Status && status != SubscriberStatus.Pending)
        {
            return;
        }

        Status = status;
        switch (status)
        {
            case SubscriberStatus.Pending:
                ConfirmedAt = null;
                WelcomeMailDueAt = null;
                break;
            case SubscriberStatus.Confirmed:
                ConfirmedAt = now;
                StoppedReason = null;
                SoftBounceCount = 0;
                ClearConfirmationToken();
                break;
            case SubscriberStatus.Unsubscribed:
                UnsubscribedAt = now;
                WelcomeMailDueAt = null;
                ClearConfirmationToken();
                break;
            case SubscriberStatus.Bounced:
                BouncedAt = now;
                WelcomeMailDueAt = null;
                ClearConfirmationToken();
                break;
            case SubscriberStatus.Complained:
                ComplainedAt = now;
                WelcomeMailDueAt = null;
                ClearConfirmationToken();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, null);
        }
    }

    /// <summary>
    /// Owes a pending subscriber a confirmation mail now. The previous link stops working at once;
    /// the new one is made when the mail is sent.
    /// </summary>
    public void RequestConfirmation(DateTimeOffset now)
    {
        if (Status != SubscriberStatus.Pending)
        {
            throw new InvalidOperationException("Only a pending subscriber gets a confirmation link.");
        }

        ClearConfirmationToken();
        ConfirmationMailDueAt = now;
        ConfirmationMailAttempts = 0;
    }

    /// <summary>Records a new confirmation link (only its hash) for the mail about to be sent.</summary>
    public void StartConfirmation(string tokenHash, DateTimeOffset expiresAt)
    {
        if (Status != SubscriberStatus.Pending)
        {
            throw new InvalidOperationException("Only a pending subscriber gets a confirmation link.");
        }

        ConfirmTokenHash = tokenHash;
        ConfirmTokenExpiresAt = expiresAt;
    }

    private void ClearConfirmationToken()
    {
        ConfirmTokenHash = null;
        ConfirmTokenExpiresAt = null;
        ConfirmationMailDueAt = null;
    }
}
