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

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
