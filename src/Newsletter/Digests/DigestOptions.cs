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

    /// <summary>
    /// A subject test's sample: this share of the readers, split in two halves (one per
    /// subject); the rest wait for the winner.
    /// </summary>
    [Range(0.01, 0.9, ErrorMessage = "must be between {1} and {2} (a share of the readers: 0.2 is 20%)")]
    public double SubjectTestShare { get; set; } = 0.2;

    /// <summary>How long the rest waits for the sample's answers, from when the sample's sending starts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan SubjectTestWait { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// The fewest readers per half: the sample grows to it; a list too small for two such halves and
    /// a rest runs no test (everyone gets the first subject).
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "must be between {1} and {2}")]
    public int SubjectTestMinimum { get; set; } = 100;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
