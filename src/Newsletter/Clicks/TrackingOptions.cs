using System.ComponentModel.DataAnnotations;

namespace Newsletter.Clicks;

/// <summary>The "Tracking" section.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>Comparison links in digests go through /r/… and are counted per issue and link.</summary>
    public bool Clicks { get; set; } = true;

    /// <summary>Also keep which subscriber clicked (off: only counts and a salted hash per mail).</summary>
    public bool Individual { get; set; }

    /// <summary>Requests to tracked links of one mail closer together than this are a link scanner's burst.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ScannerBurst { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an issue's reader salt is kept (unique readers and bursts need it); then it is dropped.</summary>
    [Range(1, 3650)]
    public int ReaderSaltDays { get; set; } = 30;
}
