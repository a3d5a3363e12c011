namespace Newsletter.Mail.Outbox;

/// <summary>
/// A claimed mail whose place in the backlog is two columns of its row: when it is due and how many
/// tries failed. What a success, a failure and a stop do to them is written once here; the feature
/// maps the columns, builds the mail and saves (its table, its writes).
/// </summary>
public abstract class OwedRow : IOwedMail
{
    public abstract string Recipient { get; }

    public abstract int Attempts { get; protected set; }

    public virtual DateTimeOffset? Deadline => null;

    /// <summary>The row's due time: null once nothing is owed.</summary>
    protected abstract DateTimeOffset? DueAt { set; }

    public abstract Task<MimeKit.MimeMessage> BuildAsync(CancellationToken cancellationToken);

    public virtual Task SentAsync(DateTimeOffset at)
    {
        DueAt = null;
        Attempts = 0;
        return SaveAsync();
    }

    public Task FailedAsync(DateTimeOffset? nextTry)
    {
        Attempts++;
        DueAt = nextTry;
        return SaveAsync();
    }

    public Task ReleaseAsync(DateTimeOffset dueAt)
    {
        DueAt = dueAt;
        return SaveAsync();
    }

    /// <summary>Saves the row; never cancelled, so an outcome is not lost to a stop.</summary>
    protected abstract Task SaveAsync();
}
