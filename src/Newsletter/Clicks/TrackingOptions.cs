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

    /// <summary>At most this many clicks are recorded per client address per <see cref="RecordWindow"/>; more still redirect.</summary>
    [Range(1, 100_000)]
    public int RecordsPerAddress { get; set; } = 20;

    /// <summary>At most this many clicks are recorded per reader part (one reader's mails) per <see cref="RecordWindow"/>.</summary>
    [Range(1, 100_000)]
    public int RecordsPerReader { get; set; } = 10;

    /// <summary>The window of the two recording limits.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RecordWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Clicks waiting to be written (see ClickBuffer): at most this many; past it a redirect waits
    /// for the database. About 200 bytes each.
    /// </summary>
    [Range(100, 1_000_000)]
    public int ClickBuffer { get; set; } = 20_000;
}
