namespace Newsletter.Delivery;

/// <summary>
/// A recipient domain whose mail waits: the reputation guard found too many complaints or sender
/// problems there (Bounces:DomainGuard). Its deliveries stay Queued and no claim takes them, in this
/// issue and the next ones, until an editor resumes the domain or cancels its mail.
/// </summary>
public sealed class PausedDomain
{
    /// <summary>The domain as the readers' addresses hold it: the part after the @, lower-cased (see <see cref="DomainPauses.DomainOf"/>).</summary>
    public required string Domain { get; set; }

    /// <summary>What tripped the guard, with the figures ("complaints 3 of 400 delivered (0.75%) in issue #12").</summary>
    public required string Reason { get; set; }

    /// <summary>A few of the servers' diagnostic lines, one a line.</summary>
    public string? Samples { get; set; }

    /// <summary>The issue whose reports tripped the guard.</summary>
    public long? IssueId { get; set; }

    public DateTimeOffset TrippedAt { get; set; }
}
