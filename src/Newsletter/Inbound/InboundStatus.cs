namespace Newsletter.Inbound;

/// <summary>The last check of the mailbox, as /health shows it (this process's view).</summary>
public sealed class InboundStatus(TimeProvider clock)
{
    private (MailboxCheck Check, DateTimeOffset At)? _last;
    private (string Error, DateTimeOffset At)? _failure;

    public void Record(MailboxCheck check)
    {
        _last = (check, clock.GetUtcNow());
        _failure = null;
    }

    public void Failed(string error) => _failure = (error, clock.GetUtcNow());

    public (MailboxCheck Check, DateTimeOffset At)? Last => _last;

    public (string Error, DateTimeOffset At)? Failure => _failure;
}
