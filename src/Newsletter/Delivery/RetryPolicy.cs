using Microsoft.Extensions.Options;

namespace Newsletter.Delivery;

/// <summary>
/// When a temporarily failed delivery is tried again: Delivery:RetryDelay after the first failure,
/// doubling up to Delivery:MaxRetryDelay, and no more after Delivery:MaxAttempts attempts.
/// </summary>
public sealed class RetryPolicy(IOptions<DeliveryOptions> options)
{
    private readonly DeliveryOptions _options = options.Value;

    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>Whether a delivery that has now failed <paramref name="attempts"/> times gets another try.</summary>
    public bool ShouldRetry(int attempts) => attempts < _options.MaxAttempts;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1 for the first).</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }
}
