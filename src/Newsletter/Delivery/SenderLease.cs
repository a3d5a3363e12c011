namespace Newsletter.Delivery;

/// <summary>
/// The right to send from this database, held by one delivery engine at a time: one row (Id 1) that
/// names the holder and until when it holds. Every process (the worker, each replica, `send-now`) has
/// its own random owner id; the one whose guarded UPDATE takes the row claims and records deliveries,
/// renews the row while it sends and frees it when it stops. A holder that cannot renew stops sending;
/// a holder that died leaves the row to expire, and the next engine takes it over and puts back what
/// the dead one had claimed. Claims and outcomes are written only while the row names their engine.
/// </summary>
public sealed class SenderLease
{
    /// <summary>The one row's id.</summary>
    public const int RowId = 1;

    public int Id { get; set; }

    /// <summary>The holding engine ("host/pid/random"), null when no engine sends.</summary>
    public string? Owner { get; set; }

    /// <summary>When the holder's lease runs out unless it renews it.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The issue the holder is sending (for those waiting on it).</summary>
    public long? IssueId { get; set; }
}

/// <summary>Who holds the sender lease, when it runs out, and what they send.</summary>
public sealed record LeaseHolder(string Owner, DateTimeOffset ExpiresAt, long? IssueId);

/// <summary>
/// Thrown when this engine writes claims or outcomes after its lease was taken over: another engine
/// now sends, and this one must stop.
/// </summary>
public sealed class SenderLeaseLostException : Exception
{
    public SenderLeaseLostException()
        : base("This process no longer holds the sender lease: another process took over the send")
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
