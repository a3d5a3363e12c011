using System.ComponentModel.DataAnnotations;
using Newsletter.Hosting;

namespace Newsletter.Comparisons;

/// <summary>The "Sources:Feed" section: an optional JSON Feed polled for new comparisons.</summary>
public sealed class FeedOptions
{
    public const string Section = "Sources:Feed";

    [AbsoluteHttpUrl]
    public string? Url { get; set; }

    [QuartzCron]
    public string? Schedule { get; set; }
}
