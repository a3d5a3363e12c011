using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Newsletter.Subscribers;

/// <summary>
/// An address as we keep it: trimmed, the domain lowercased, checked for syntax and length
/// (RFC 5321 limits: 64 before the @, 254 in all). <see cref="Key"/> is <see cref="KeyOf"/>: the same
/// address in other case, or with its domain in the other IDNA form, is the same subscriber.
/// </summary>
public sealed record EmailAddress(string Value, string Key)
{
    public const int MaxLength = 254;
    public const int MaxLocalLength = 64;

    // RFC 5322 atext; '.' is checked separately. Non-ASCII letters are allowed (RFC 6531).
    private const string AtextSymbols = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>
    /// The canonical key of an address, the one place that decides it, for every address stored or
    /// looked up (signup, import, the API, webhooks, DSN and ARF reports): trimmed; the domain in
    /// its IDNA ASCII form (bücher.example and xn--bcher-kva.example are one domain, and providers
    /// report the form the mail went out with); the local part in Unicode NFC (a composed and a
    /// decomposed "é" are one mailbox); all lowercased. One mailbox is one key, so one reader.
    /// </summary>
    public static string KeyOf(string address)
    {
        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        try
        {
            if (at <= 0 || at == trimmed.Length - 1)
            {
                return trimmed.Normalize(NormalizationForm.FormC).ToLowerInvariant();
            }

            var local = trimmed[..at].Normalize(NormalizationForm.FormC);
            var domain = trimmed[(at + 1)..].Normalize(NormalizationForm.FormC).ToLowerInvariant();
            return (local + "@" + AsciiDomain(domain)).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            // Not valid Unicode (a lone surrogate): no canonical form; such an address never parses.
            return trimmed.ToLowerInvariant();
        }
    }

    private static string AsciiDomain(string domain)
    {
        try
        {
            return new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }

    public static bool TryParse(string? input, [NotNullWhen(true)] out EmailAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = Check(input?.Trim());
        if (error is not null)
        {
            return false;
        }

        var trimmed = input!.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        var value = trimmed[..at] + "@" + trimmed[(at + 1)..].ToLowerInvariant();
        address = new EmailAddress(value, KeyOf(value));
        return true;
    }

    private static string? Check(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "Enter your email address.";
        }

        if (text.Length > MaxLength)
        {
            return $"That address is too long: an email address has at most {MaxLength} characters.";
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "An email address cannot contain spaces or line breaks.";
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return "An email address needs an @, like name@example.com.";
        }

        if (text.IndexOf('@', at + 1) >= 0)
        {
            return "An email address has only one @.";
        }

        var local = text[..at];
        var domain = text[(at + 1)..];
        return CheckLocal(local) ?? CheckDomain(domain);
    }

    private static string? CheckLocal(string local)
    {
        if (local.Length == 0)
        {
            return "The part before the @ is missing.";
        }

        if (local.Length > MaxLocalLength)
        {
            return $"The part before the @ is too long: at most {MaxLocalLength} characters.";
        }

        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return "The part before the @ cannot start or end with a dot, or have two dots in a row.";
        }

        // By Unicode character, not UTF-16 unit: an emoji is two units, and naming half of one
        // would show the reader "\uFFFD" instead of what they typed.
        foreach (var r in local.EnumerateRunes())
        {
            if (!(r.IsAscii && (char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '.' || AtextSymbols.Contains((char)r.Value, StringComparison.Ordinal)) ||
                (!r.IsAscii && Rune.IsLetterOrDigit(r))))
            {
                return $"The part before the @ cannot contain \u201c{r}\u201d.";
            }
        }

        return null;
    }

    private static string? CheckDomain(string domain)
    {
        if (domain.Length == 0)
        {
            return "The domain after the @ is missing.";
        }

        string ascii;
        try
        {
            // Checks international domains too (bücher.example becomes xn--bcher-kva.example).
            ascii = new IdnMapping().GetAscii(domain.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return "The domain after the @ is not a valid domain name.";
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            return "The domain after the @ needs a dot, like example.com.";
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') ||
                !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return "The domain after the @ is not a valid domain name.";
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return "The domain after the @ is not a valid domain name.";
        }

        return null;
    }
}
