namespace Newsletter.Inbound;

/// <summary>
/// The last check of the mailbox, as /health shows it (this process's view), and when the next sign-in
/// may be tried after failures: one minute after the first, doubling to <see cref="LongestWait"/>, so
/// a wrong password or a missing folder does not have every fire (and every /health) sign in again.
/// </summary>
public sealed class InboundStatus(TimeProvider clock)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(30);

    private (MailboxCheck Check, DateTimeOffset At)? _last;
    private (string Error, DateTimeOffset At, int Times, DateTimeOffset RetryAt)? _failure;

    public void Record(MailboxCheck check)
    {
        _last = (check, clock.GetUtcNow());
        _failure = null;
    }

    public void Failed(string error)
    {
        var now = clock.GetUtcNow();
        var times = (_failure?.Times ?? 0) + 1;
        var wait = TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstWait.Ticks << Math.Min(times - 1, 16)));
        _failure = (error, now, times, now + wait);
    }

    /// <summary>False while the last failure's wait runs: nobody signs in to the mailbox until then.</summary>
    public bool MayTry => _failure is not { } f || clock.GetUtcNow() >= f.RetryAt;

    public (MailboxCheck Check, DateTimeOffset At)? Last => _last;

    public (string Error, DateTimeOffset At, int Times, DateTimeOffset RetryAt)? Failure => _failure;
}
