using System.Diagnostics;
using System.Threading.RateLimiting;

namespace Newsletter.Delivery;

/// <summary>
/// Smtp:MaxMessagesPerSecond for the whole cluster: the rate is cut into windows of the database's
/// clock (a tenth of the rate per tenth of a second, as the local limiter refills), and every
/// instance takes a few tokens of the current window at a time with one UPDATE of the shared
/// <see cref="SendRateWindow"/> row. The row lock orders the takers, so the instances together never
/// get more than a window's share; a token not spent by the end of its window is dropped, not
/// carried over, so no window is ever exceeded (the rate can only come out a little lower). One
/// worker of a process asks at a time; the others wait for its tokens.
/// </summary>
internal sealed class SharedRateLimiter : RateLimiter
{
    private readonly PostgresDb _db;
    private readonly int _perWindow;
    private readonly long _windowMs;
    private readonly int _take;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _rowMade;
    private int _tokens;
    private long _tokensUntil;

    public SharedRateLimiter(PostgresDb db, int perSecond)
    {
        _db = db;
        _perWindow = Math.Max(1, perSecond / 10);
        _windowMs = (long)Math.Ceiling(_perWindow * 1000.0 / perSecond);

        // A quarter of a window per trip: two instances both get tokens in each window.
        _take = Math.Max(1, (_perWindow + 3) / 4);
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (!_gate.Wait(0))
        {
            return Lease.Refused;
        }

        try
        {
            return TrySpend(permitCount) ? Lease.Granted : Lease.Refused;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (!TrySpend(permitCount))
            {
                var (granted, msLeft) = await TakeAsync(cancellationToken);
                _tokens = granted;
                _tokensUntil = Stopwatch.GetTimestamp() + (Math.Max(0, msLeft) * Stopwatch.Frequency / 1000);
                if (granted < permitCount)
                {
                    // This window is spent (by this instance or the others): wait for the next one.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(msLeft, 1, _windowMs)), cancellationToken);
                }
            }

            return Lease.Granted;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool TrySpend(int permitCount)
    {
        if (_tokens < permitCount || Stopwatch.GetTimestamp() >= _tokensUntil)
        {
            return false;
        }

        _tokens -= permitCount;
        return true;
    }

    /// <summary>Takes up to a trip's worth of the current window's tokens: how many it got, and the milliseconds the window has left.</summary>
    private async Task<(int Granted, long MsLeft)> TakeAsync(CancellationToken cancellationToken)
    {
        if (!_rowMade)
        {
            await _db.ExecuteAsync(
                "INSERT INTO sendrate (id, windowstart, used, lastgrant) VALUES (1, 0, 0, 0) ON CONFLICT (id) DO NOTHING", cancellationToken);
            _rowMade = true;
        }

        // The database's clock names the window, so instances on machines whose clocks differ agree.
        // A taker that waited for the row lock across a window's end counts into the newer window.
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var command = PostgresDb.Command(connection, null,
            """
            WITH ws AS (
                SELECT t.now - t.now % @len AS start, t.now
                FROM (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now) t)
            UPDATE sendrate s SET
                lastgrant = LEAST(@want, GREATEST(0, @cap - CASE WHEN s.windowstart >= ws.start THEN s.used ELSE 0 END)),
                used = CASE WHEN s.windowstart >= ws.start THEN s.used ELSE 0 END
                     + LEAST(@want, GREATEST(0, @cap - CASE WHEN s.windowstart >= ws.start THEN s.used ELSE 0 END)),
                windowstart = GREATEST(s.windowstart, ws.start)
            FROM ws
            WHERE s.id = 1
            RETURNING s.lastgrant, s.windowstart + @len - ws.now
            """, ("len", _windowMs), ("want", _take), ("cap", _perWindow));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), reader.GetInt64(1)) : (0, _windowMs);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);

        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
