using System.ComponentModel.DataAnnotations;

namespace Newsletter.Mail;

public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>The "Smtp" section. With no Host, mails are written as .eml files to PickupDirectory.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "must be between {1} and {2}")]
    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Range(1, 64, ErrorMessage = "must be between {1} and {2}")]
    public int Connections { get; set; } = 4;

    [Range(0, 100_000, ErrorMessage = "must be between {1} and {2} (0: no limit)")]
    public int MaxMessagesPerSecond { get; set; }

    [Required(ErrorMessage = "is required")]
    public string PickupDirectory { get; set; } = "outbox";

    public bool UsesPickupDirectory => string.IsNullOrWhiteSpace(Host);
}
