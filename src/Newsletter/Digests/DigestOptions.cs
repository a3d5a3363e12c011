using System.ComponentModel.DataAnnotations;
using Newsletter.Hosting;

namespace Newsletter.Digests;

/// <summary>The "Digest" section: when the weekly digest goes out and what it may carry.</summary>
public sealed class DigestOptions
{
    public const string Section = "Digest";

    [Required(ErrorMessage = "is required"), QuartzCron]
    public string Schedule { get; set; } = "0 0 9 ? * MON";

    [Required(ErrorMessage = "is required"), TimeZoneId]
    public string TimeZone { get; set; } = "UTC";

    [Range(1, 100, ErrorMessage = "must be between {1} and {2}")]
    public int MaxComparisons { get; set; } = 10;

    public bool SendWhenEmpty { get; set; }

    /// <summary>
    /// That long before each scheduled send the editors get the preview by mail (e.g. "1.00:00:00");
    /// empty: off. At most a week, as the schedule is weekly by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "must be between {1} and {2}, or empty (off)")]
    public TimeSpan? PreviewBefore { get; set; }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
