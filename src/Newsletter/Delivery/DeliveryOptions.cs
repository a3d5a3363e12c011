using System.ComponentModel.DataAnnotations;

namespace Newsletter.Delivery;

/// <summary>
/// The "Delivery" section: how the engine pages through a send and how it waits on a bad SMTP day.
/// The defaults suit production; the tests shorten the delays.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>
    /// Deliveries claimed per database round trip. At most twice this many are claimed and not yet
    /// recorded at any moment; of those, only mails already sent can go twice after a crash, at most
    /// two per connection (their outcomes are committed as they come).
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "must be between {1} and {2}")]
    public int BatchSize { get; set; } = 250;

    /// <summary>Attempts per delivery before a temporary failure (4xx, dropped connection) becomes final.</summary>
    [Range(1, 100, ErrorMessage = "must be between {1} and {2}")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait after the first temporary failure; it doubles with each further attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two attempts of one delivery.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an issue stays paused when the SMTP server is unreachable for everyone (or answers
    /// every mail with a temporary failure) before the engine tries again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan PauseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the sender lease lasts unless renewed (it is renewed every third of this while
    /// sending). On SQLite one process sends from a database at a time; on PostgreSQL every instance
    /// sends with a lease of its own. When a sender dies, its claimed rows go back to the queue (for
    /// another process, or the other instances) after at most this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the log reports a running send's progress.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
