using System.Diagnostics;

namespace Newsletter.Delivery;

/// <summary>
/// The newsletter.queue.depth gauge: deliveries of unsent issues still queued or being sent (counted
/// by the store, <see cref="IDeliveryReads.DepthAsync"/>). A scrape reads a value at most
/// <see cref="MaxAge"/> old, so scrapes never add up to load on the database.
/// </summary>
public sealed class QueueDepth(IDeliveryReads deliveries) : Telemetry.IQueueDepth
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private long _value;
    private long _readAt = long.MinValue;

    public long Current
    {
        get
        {
            lock (_gate)
            {
                if (_readAt == long.MinValue || Stopwatch.GetElapsedTime(_readAt) > MaxAge)
                {
                    // The gauge's callback is synchronous; the store's read is short and cached above.
                    _value = deliveries.DepthAsync(CancellationToken.None).GetAwaiter().GetResult();
                    _readAt = Stopwatch.GetTimestamp();
                }

                return _value;
            }
        }
    }
}
