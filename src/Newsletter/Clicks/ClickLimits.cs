using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Newsletter.Clicks;

/// <summary>
/// How many clicks are recorded per client address and per reader part (Tracking:RecordsPerAddress,
/// RecordsPerReader, RecordWindow). A request over either limit still gets its redirect, since a
/// reader must always reach the page; it is only not counted, so a burst on one link can neither
/// inflate the counts nor grow the database without bound. Fixed windows hold no queue, and the
/// partitioned limiter drops a partition once it has been idle, so memory follows the addresses
/// and readers active in the last window, not all ever seen. Per process: several instances each
/// allow their share, which still bounds a burst.
/// </summary>
public sealed class ClickLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perReader;

    public ClickLimits(IOptions<TrackingOptions> options)
    {
        var o = options.Value;
        _perAddress = Create(o.RecordsPerAddress, o.RecordWindow);
        _perReader = Create(o.RecordsPerReader, o.RecordWindow);
    }

    /// <summary>True while both the address and the reader part may record one more click (and takes it).</summary>
    public bool TryRecord(string? clientAddress, string readerPart)
    {
        // The reader first: a burst on one mail's links, the common case, then spends none of its
        // address's permits, so the address limit counts (nearly) what was recorded from it.
        using var reader = _perReader.AttemptAcquire(readerPart);
        if (!reader.IsAcquired)
        {
            return false;
        }

        using var address = _perAddress.AttemptAcquire(clientAddress ?? "local");
        return address.IsAcquired;
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perReader.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
