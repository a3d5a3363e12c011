namespace Newsletter.Delivery;

/// <summary>
/// Smtp:MaxMessagesPerSecond for a cluster, as one row: the current window of the shared rate (a
/// tenth of a second, or longer for a slow rate), how many mails the instances took in it, and what
/// the last take got. Each instance takes a few tokens at a time with one UPDATE of this row
/// (<see cref="SharedRateLimiter"/>); the row lock orders the takers, so no window hands out more than
/// the rate allows. Only PostgreSQL uses it: on SQLite one engine sends and limits itself.
/// </summary>
public sealed class SendRateWindow
{
    /// <summary>Always 1: one shared rate per database.</summary>
    public int Id { get; set; }

    /// <summary>Start of the current window, in Unix milliseconds of the database's clock.</summary>
    public long WindowStart { get; set; }

    /// <summary>Tokens taken in the current window.</summary>
    public int Used { get; set; }

    /// <summary>What the last take got (read back by that take, in the same statement).</summary>
    public int LastGrant { get; set; }
}
