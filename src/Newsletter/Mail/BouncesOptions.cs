using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Newsletter.Mail;

/// <summary>
/// The "Bounces" section: where bounces go (VERP) and when soft bounces stop a reader.
/// </summary>
public sealed partial class BouncesOptions : IValidatableObject
{
    public const string Section = "Bounces";

    /// <summary>A bare address such as bounces@verdicts.example.com; empty: no VERP, bounces go to From.</summary>
    public string? ReturnPath { get; set; }

    [Range(1, 100, ErrorMessage = "must be between {1} and {2}")]
    public int SoftBounceLimit { get; set; } = 3;

    /// <summary>
    /// Optional key for the VERP tokens (32+ characters). Empty: a random key is made once and kept
    /// in the database, so every instance on that database signs alike.
    /// </summary>
    [Hosting.SecretLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>
    /// The secret of POST /api/bounces for providers (16+ characters); it opens that route only, as
    /// HTTP basic auth (any user name) or in X-Api-Key. Empty: the route takes the admin key only.
    /// </summary>
    [Hosting.SecretLength(16)]
    public string? WebhookKey { get; set; }

    /// <summary>Mailgun's HTTP webhook signing key; empty: Mailgun's bodies are refused.</summary>
    public string? MailgunSigningKey { get; set; }

    /// <summary>How long the same webhook body counts once (a provider's retries); reports with the provider's message id count once for good.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    public TimeSpan WebhookRepeatWindow { get; set; } = TimeSpan.FromDays(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(ReturnPath);

    /// <summary>The local part before the "+"; at most 30 characters so that "+u-TOKEN" stays within 64.</summary>
    public string Local => ReturnPath!.Trim()[..ReturnPath!.Trim().LastIndexOf('@')];

    public string Domain => ReturnPath!.Trim()[(ReturnPath!.Trim().LastIndexOf('@') + 1)..];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !BareAddress().IsMatch(ReturnPath!.Trim()))
        {
            yield return new ValidationResult(
                "must be a bare address such as bounces@example.com: a local part of at most 30 letters, digits, '.', '_' or '-' (no '+'), then @domain",
                [nameof(ReturnPath)]);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,30}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")]
    private static partial Regex BareAddress();
}
