namespace Newsletter.Mail.Outbox;

/// <summary>
/// When a queued mail is tried again: <paramref name="First"/> after the first failure, doubling, at
/// most <paramref name="Longest"/>; no more after <paramref name="MaxAttempts"/> tries.
/// </summary>
public sealed record RetrySchedule(TimeSpan First, TimeSpan Longest, int MaxAttempts)
{
    /// <summary>The wait after try <paramref name="attempts"/> failed.</summary>
    public TimeSpan After(int attempts)
    {
        var wait = First * Math.Pow(2, Math.Clamp(attempts - 1, 0, 16));
        return wait > Longest ? Longest : wait;
    }
}
