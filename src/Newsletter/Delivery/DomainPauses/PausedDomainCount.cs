using System.Diagnostics;

namespace Newsletter.Delivery;

/// <summary>The newsletter.domains.paused gauge; a scrape reads a value at most five seconds old.</summary>
public sealed class PausedDomainCount(DomainPauses pauses) : Telemetry.IPausedDomainCount
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

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
                    _value = pauses.CountAsync(CancellationToken.None).GetAwaiter().GetResult();
                    _readAt = Stopwatch.GetTimestamp();
                }

                return _value;
            }
        }
    }
}
