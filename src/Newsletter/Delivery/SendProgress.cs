namespace Newsletter.Delivery;

/// <summary>How a running send stands: what the progress log line and GET /api/digests/{number} show.</summary>
public sealed record SendProgress(
    long IssueId, int Number, int Total, int Sent, int Failed, int Skipped, double RatePerSecond)
{
    public int Done => Sent + Failed + Skipped;

    public int Remaining => Math.Max(0, Total - Done);

    /// <summary>Time left at the current rate; null until there is a rate.</summary>
    public TimeSpan? Eta => RatePerSecond > 0 ? TimeSpan.FromSeconds(Math.Ceiling(Remaining / RatePerSecond)) : null;
}
