using System.Globalization;
using Microsoft.Extensions.Options;
using Newsletter.Digests;
using Quartz;

namespace Newsletter.Delivery;

/// <summary>
/// Names the slot an issue is made for: the time of a Digest:Schedule occurrence, in UTC
/// ("2026-11-30T09:00:00Z"). A scheduled fire uses its own occurrence (a misfire caught up late
/// still names the occurrence it stands for); a manual send (POST /api/digests/send, `send-now`)
/// uses the latest occurrence at or before now, so it makes the current period's issue if the
/// schedule has not, and starts nothing new if it has or if it is called again.
/// </summary>
public sealed class SendSlots(IOptions<DigestOptions> options, TimeProvider clock)
{
    /// <summary>The slot of the period that contains now.</summary>
    public string Manual() => ForTime(clock.GetUtcNow());

    /// <summary>The slot of the occurrence at or latest before <paramref name="time"/>.</summary>
    public string ForTime(DateTimeOffset time) => Format(LatestOccurrence(time) ?? time);

    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private DateTimeOffset? LatestOccurrence(DateTimeOffset time)
    {
        // Cron works in whole seconds: "at or before" is "strictly before the next second".
        var nextSecond = DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds() + 1);
        return new CronExpression(options.Value.Schedule, options.Value.Zone).GetPreviousValidTimeBefore(nextSecond);
    }
}
