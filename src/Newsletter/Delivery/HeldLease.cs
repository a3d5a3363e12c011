namespace Newsletter.Delivery;

/// <summary>
/// This engine's sender lease while a run sends: renewed every third of Delivery:LeaseDuration (each
/// renewal also puts back rows of leases that expired). <see cref="Held"/> is cancelled when the lease
/// is lost: a renewal found it gone, or no renewal succeeded in time (then it may expire and another
/// engine take over: this one must stop before that). Disposing stops renewing and frees the lease.
/// </summary>
internal sealed partial class HeldLease : IAsyncDisposable
{
    private readonly ISenderLeases _leases;
    private readonly long _issueId;
    private readonly int _number;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _held;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    public HeldLease(ISenderLeases leases, long issueId, int number, TimeSpan duration, TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        (_leases, _issueId, _number, _duration, _clock, _logger) = (leases, issueId, number, duration, clock, logger);
        _held = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _held.CancelAfter(LocalValidity);
        _renewing = RenewAsync();
    }

    /// <summary>Cancelled when the host stops or the lease is lost.</summary>
    public CancellationToken Held => _held.Token;

    /// <summary>How long this process trusts its lease after a renewal: a sixth less than it lasts in the database.</summary>
    private TimeSpan LocalValidity => _duration - (_duration / 6);

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(_duration / 3, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var started = _clock.GetTimestamp();
                try
                {
                    var renewal = await _leases.RenewAsync(_issueId, _duration, _stop.Token);
                    if (!renewal.Held)
                    {
                        await _held.CancelAsync();
                        return;
                    }

                    if (renewal.Released > 0)
                    {
                        LogOrphansReleased(_logger, _number, renewal.Released);
                    }

                    var left = LocalValidity - _clock.GetElapsedTime(started);
                    _held.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(_logger, e, _number);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;

        // Free the lease for the next sender (a lease taken over is no longer this engine's row).
        await _leases.ReleaseAsync(CancellationToken.None);
        _stop.Dispose();
        _held.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: renewing the sender lease failed; the send stops unless a renewal succeeds before the lease runs out")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: {Count} deliveries claimed by a sender whose lease expired go back to the queue")]
    private static partial void LogOrphansReleased(ILogger logger, int number, int count);
}
