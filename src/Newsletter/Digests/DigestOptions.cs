using System.ComponentModel.DataAnnotations;
using Quartz;

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

[AttributeUsage(AttributeTargets.Property)]
public sealed class QuartzCronAttribute : ValidationAttribute
{
    public QuartzCronAttribute() : base("must be a Quartz cron expression such as \"0 0 9 ? * MON\"") { }

    public override bool IsValid(object? value)
    {
        if (value is not string s || string.IsNullOrEmpty(s))
        {
            return true;
        }

        try
        {
            _ = new CronExpression(s);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeZoneIdAttribute : ValidationAttribute
{
    public TimeZoneIdAttribute() : base("must be an IANA time zone such as \"Europe/Berlin\"") { }

    public override bool IsValid(object? value) =>
        value is not string s || string.IsNullOrEmpty(s) || TimeZoneInfo.TryFindSystemTimeZoneById(s, out _);
}
