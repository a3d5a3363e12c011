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

    /// <summary>Empty disables the admin API; otherwise long enough that guessing it is hopeless.</summary>
    [SecretLength(16)]
    public string? AdminApiKey { get; set; }

    /// <summary>The List-Id value, derived from the public host so that it is stable per installation.</summary>
    public string ListId => $"{ListIdPhrase(Name)} <digest.{new Uri(PublicBaseUrl).Host}>";

    /// <summary>
    /// The name before the List-Id (RFC 2919) is a phrase: quoted when it holds specials such as
    /// &lt; &gt; " , : so that it cannot end early, encoded (RFC 2047) when it is not ASCII.
    /// </summary>
    private static string ListIdPhrase(string name)
    {
        var oneLine = string.Concat(name.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        return System.Text.Encoding.ASCII.GetString(MimeKit.Utils.Rfc2047.EncodePhrase(System.Text.Encoding.UTF8, oneLine));
    }

    /// <summary>Makes an absolute link from a path such as "/confirm?token=…".</summary>
    public string Link(string pathAndQuery) => PublicBaseUrl.TrimEnd('/') + pathAndQuery;
}
