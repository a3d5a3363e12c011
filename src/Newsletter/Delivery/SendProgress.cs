using System.Diagnostics;

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

/// <summary>A run's counts, moved on by each commit of the recorder; the rate counts this run only.</summary>
internal sealed class SendCounters(long issueId, int number, DeliveryCounts atStart)
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private int _sent = atStart.Sent;
    private int _failed = atStart.Failed;
    private int _skipped = atStart.Skipped;

    public long IssueId => issueId;

    public int Number => number;

    public void Count(IEnumerable<DeliveryRecord> records)
    {
        foreach (var r in records)
        {
            switch (r.Status)
            {
                case DeliveryStatus.Sent:
                    Interlocked.Increment(ref _sent);
                    break;
                case DeliveryStatus.Failed:
                    Interlocked.Increment(ref _failed);
                    break;
                case DeliveryStatus.Skipped:
                    Interlocked.Increment(ref _skipped);
                    break;
            }
        }
    }

    public SendProgress Progress
    {
        get
        {
            var sent = Volatile.Read(ref _sent);
            var failed = Volatile.Read(ref _failed);
            var skipped = Volatile.Read(ref _skipped);
            var seconds = _elapsed.Elapsed.TotalSeconds;
            var rate = seconds > 0.05 ? (sent + failed + skipped - atStart.Done) / seconds : 0;
            return new SendProgress(issueId, number, atStart.Total, sent, failed, skipped, Math.Round(rate, 1));
        }
    }
}
