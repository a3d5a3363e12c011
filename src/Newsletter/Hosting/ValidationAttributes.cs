using System.ComponentModel.DataAnnotations;
using MimeKit;
using Quartz;

namespace Newsletter.Hosting;

/// <summary>An absolute http or https URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteHttpUrlAttribute : ValidationAttribute
{
    public AbsoluteHttpUrlAttribute() : base("must be an absolute http(s) URL") { }

    public override bool IsValid(object? value) =>
        value is not string s || string.IsNullOrEmpty(s) || IsHttpUrl(s);

    public static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>A mailbox as RFC 5322 writes it: "Name &lt;a@b&gt;" or "a@b".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MailAddressAttribute : ValidationAttribute
{
    public MailAddressAttribute() : base("must be a mail address such as \"Name <name@example.com>\"") { }

    public override bool IsValid(object? value) =>
        value is not string s || string.IsNullOrEmpty(s) || IsMailbox(s);

    public static bool IsMailbox(string s) =>
        MailboxAddress.TryParse(s, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}

/// <summary>A list in which every entry is a mailbox.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MailAddressListAttribute : ValidationAttribute
{
    public MailAddressListAttribute() : base("must hold only mail addresses") { }

    public override bool IsValid(object? value) =>
        value is not IEnumerable<string> list || list.All(MailAddressAttribute.IsMailbox);
}

/// <summary>A secret that is either unset (the feature is off) or at least this long.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretLengthAttribute(int minimum)
    : ValidationAttribute($"must be at least {minimum} characters, or empty to turn the feature off")
{
    public int Minimum { get; } = minimum;

    public override bool IsValid(object? value) =>
        value is not string s || s.Length == 0 || s.Length >= Minimum;
}

/// <summary>A Quartz cron expression (seconds first), as Digest:Schedule and Sources:Feed:Schedule take.</summary>
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

/// <summary>An IANA time zone id this machine knows.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TimeZoneIdAttribute : ValidationAttribute
{
    public TimeZoneIdAttribute() : base("must be an IANA time zone such as \"Europe/Berlin\"") { }

    public override bool IsValid(object? value) =>
        value is not string s || string.IsNullOrEmpty(s) || TimeZoneInfo.TryFindSystemTimeZoneById(s, out _);
}
