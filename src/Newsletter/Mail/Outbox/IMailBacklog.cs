namespace Newsletter.Mail.Outbox;

/// <summary>A mail waiting to go: whose backlog, its row, and since when it is due.</summary>
public readonly record struct DueMail(IMailBacklog Backlog, long Id, DateTimeOffset DueAt);

/// <summary>
/// One kind of mail whose backlog is a database table (each row's due time): the feature that owns the
/// table says what is due and claims one; <see cref="OutboxMailer"/> sends and retries. The methods
/// get the scope's services, so a backlog can be a singleton and still use the scoped DbContext.
/// </summary>
public interface IMailBacklog
{
    /// <summary>What the mail is, for the log ("Confirmation").</summary>
    string Kind { get; }

    /// <summary>How long a claimed mail belongs to the instance sending it: well past an SMTP timeout.</summary>
    TimeSpan ClaimFor { get; }

    RetrySchedule Retry { get; }

    /// <summary>The mails due at <paramref name="now"/>, the longest due first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DueMail>> DueAsync(IServiceProvider services, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>When the next mail falls due; null when none waits.</summary>
    Task<DateTimeOffset?> NextDueAsync(IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>
    /// Claims one mail with one guarded UPDATE that moves its due time to <paramref name="until"/>:
    /// of several instances only one finds it still due. Null when another has it or it is no longer owed.
    /// </summary>
    Task<IOwedMail?> ClaimAsync(IServiceProvider services, long id, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>A claimed mail: its row in the owner's hands; each change is saved by the owner.</summary>
public interface IOwedMail
{
    /// <summary>Who it goes to, for the log, never the address ("subscriber 12").</summary>
    string Recipient { get; }

    /// <summary>The failed tries so far.</summary>
    int Attempts { get; }

    /// <summary>A try after this time would be of no use (the link in it has expired); null: none.</summary>
    DateTimeOffset? Deadline { get; }

    /// <summary>Builds the mail; a mail with a link stores the link's hash first, so it works when the mail arrives.</summary>
    Task<MimeKit.MimeMessage> BuildAsync(CancellationToken cancellationToken);

    /// <summary>The server took it: it leaves the backlog.</summary>
    Task SentAsync(DateTimeOffset at);

    /// <summary>The try failed: one more attempt counted, due again at <paramref name="nextTry"/> (null: given up).</summary>
    Task FailedAsync(DateTimeOffset? nextTry);

    /// <summary>Stopping before it went: due again at <paramref name="dueAt"/>, for whichever instance runs next.</summary>
    Task ReleaseAsync(DateTimeOffset dueAt);
}
