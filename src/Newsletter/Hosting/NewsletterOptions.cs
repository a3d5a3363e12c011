using System.ComponentModel.DataAnnotations;

namespace Newsletter.Hosting;

/// <summary>The "Newsletter" section: who the mails are from and where their links point.</summary>
public sealed class NewsletterOptions
{
    public const string Section = "Newsletter";

    [Required]
    public string Name { get; set; } = "AI Tool Verdicts";

    [Required, AbsoluteHttpUrl]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    [Required, MailAddress]
    public string From { get; set; } = "AI Tool Verdicts <digest@localhost>";

    [MailAddress]
    public string? ReplyTo { get; set; }

    [MailAddressList]
    public List<string> Editors { get; set; } = [];

    public string? AdminApiKey { get; set; }

    /// <summary>The List-Id value, derived from the public host so that it is stable per installation.</summary>
    public string ListId => $"{Name} <digest.{new Uri(PublicBaseUrl).Host}>";

    /// <summary>Makes an absolute link from a path such as "/confirm?token=…".</summary>
    public string Link(string pathAndQuery) => PublicBaseUrl.TrimEnd('/') + pathAndQuery;
}
