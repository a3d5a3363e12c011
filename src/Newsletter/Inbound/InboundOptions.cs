using System.ComponentModel.DataAnnotations;
using Newsletter.Mail;

namespace Newsletter.Inbound;

/// <summary>The "Inbound" section: the IMAP mailbox that receives bounces, reports and unsubscribe mails. Empty Host: off.</summary>
public sealed class InboundOptions : IValidatableObject
{
    public const string Section = "Inbound";

    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "must be between {1} and {2}")]
    public int Port { get; set; } = 993;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required(ErrorMessage = "is required")]
    public string Folder { get; set; } = "INBOX";

    [Required(ErrorMessage = "is required")]
    public string ProcessedFolder { get; set; } = "Processed";

    [Required(ErrorMessage = "is required")]
    public string ReviewFolder { get; set; } = "Review";

    [Required(ErrorMessage = "is required")]
    public string Schedule { get; set; } = "0 * * * * ?";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    private static bool IsCron(string schedule)
    {
        try
        {
            _ = new Quartz.CronExpression(schedule);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Schedule) && !IsCron(Schedule))
        {
            yield return new ValidationResult("is not a valid Quartz cron expression (e.g. \"0 * * * * ?\")", [nameof(Schedule)]);
        }

        if (Enabled && string.IsNullOrWhiteSpace(UserName))
        {
            yield return new ValidationResult("is required when Inbound:Host is set", [nameof(UserName)]);
        }

        if (Enabled && (Folder == ProcessedFolder || Folder == ReviewFolder))
        {
            yield return new ValidationResult("must differ from Inbound:Folder, or handled mail would be read again", [nameof(ProcessedFolder)]);
        }
    }
}
