namespace Newsletter.Delivery;

/// <summary>
/// One delivery engine's right to send, one row per live engine: a random id (new per process), who
/// it is, until when it holds, and what it sends. The engine renews its row every third of
/// Delivery:LeaseDuration while it sends and deletes it when it stops; each delivery it claims names
/// this id (<see cref="MailDelivery.ClaimedBy"/>). A row past its expiry is a dead or stalled engine:
/// the next engine deletes it and puts back the rows it had claimed, and the stalled one, finding its
/// row gone, can neither claim nor record.
/// </summary>
public sealed class SenderLease
{
    /// <summary>The engine's random lease id.</summary>
    public long Id { get; set; }

    /// <summary>Who holds it ("host/pid"), for the log of those waiting on it.</summary>
    public string Owner { get; set; } = "";

    /// <summary>When the lease runs out unless renewed.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The issue the holder is sending (for those waiting on it).</summary>
    public long? IssueId { get; set; }

    /// <summary>
    /// The holder's send rate (mails recorded per second in its current run), reported with its
    /// progress: the sum over the live leases of an issue is the whole cluster's rate, whichever
    /// instance answers GET /api/digests/{number}.
    /// </summary>
    public double RatePerSecond { get; set; }
}

/// <summary>Who holds a sender lease, when it runs out, and what they send.</summary>
public sealed record LeaseHolder(string Owner, DateTimeOffset ExpiresAt, long? IssueId);

/// <summary>
/// Thrown when this engine claims or records after its lease was taken over: another engine
/// now sends, and this one must stop.
/// </summary>
public sealed class SenderLeaseLostException : Exception
{
    public SenderLeaseLostException()
        : base("This process no longer holds its sender lease: another process took over the send")
    {
    }

    public SenderLeaseLostException(string message)
        : base(message)
    {
    }

    public SenderLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
