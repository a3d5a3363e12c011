namespace Newsletter.Audit;

/// <summary>
/// One thing an editor (or the API key, or the command line) did. Holds no reader's address: an
/// erased reader leaves no trace here (erasures are logged as "a subscriber").
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>An editor's address, "API key", or "command line".</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }

    public string? Detail { get; set; }
}
