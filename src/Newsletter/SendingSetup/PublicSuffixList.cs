using System.Globalization;

namespace Newsletter.SendingSetup;

/// <summary>
/// The organisational domain of DMARC (RFC 7489 3.2): the public suffix of a name plus one label,
/// by the Public Suffix List's algorithm (https://publicsuffix.org/list/): the matching rule with
/// the most labels wins, "*" wildcards match one label, an exception rule ("!") beats every other
/// and drops its leftmost label, and a name no rule matches has the one-label suffix "*".
/// The list is the copy in this folder (Debian's publicsuffix package), embedded in the binary.
/// </summary>
public sealed class PublicSuffixList
{
    private static readonly Lazy<PublicSuffixList> Embedded = new(() =>
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("public_suffix_list.dat")
            ?? throw new InvalidOperationException("public_suffix_list.dat is not embedded in the binary");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    });

    private static readonly IdnMapping Idn = new();

    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcards;
    private readonly HashSet<string> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
    }

    public static PublicSuffixList Default => Embedded.Value;

    /// <summary>Reads the list's text format: one rule per line, "//" comments, rules end at whitespace.</summary>
    public static PublicSuffixList Parse(TextReader reader)
    {
        HashSet<string> rules = new(StringComparer.Ordinal), wildcards = new(StringComparer.Ordinal), exceptions = new(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var rule = line.Trim();
            var space = rule.IndexOfAny([' ', '\t']);
            if (space >= 0)
            {
                rule = rule[..space];
            }

            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            // Rules are kept in ASCII (punycode), the form the names we look up are in.
            if (rule.StartsWith('!'))
            {
                exceptions.Add(Ascii(rule[1..]) ?? rule[1..]);
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcards.Add(Ascii(rule[2..]) ?? rule[2..]);
            }
            else
            {
                rules.Add(Ascii(rule) ?? rule);
            }
        }

        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    /// <summary>
    /// The registrable (organisational) domain of <paramref name="domain"/>, in lower-case ASCII
    /// (punycode for international names); the name itself when it is a public suffix or not a name.
    /// </summary>
    public string OrganizationalDomain(string domain)
    {
        var name = Ascii(domain.Trim().TrimEnd('.'));
        if (string.IsNullOrEmpty(name))
        {
            return domain.Trim().TrimEnd('.').ToLowerInvariant();
        }

        var labels = name.Split('.');
        var suffixLabels = 1; // the default rule "*"
        for (var n = 1; n <= labels.Length; n++)
        {
            var candidate = string.Join('.', labels[^n..]);
            if (_exceptions.Contains(candidate))
            {
                // An exception prevails over every other rule: its suffix is the rule less its first label.
                suffixLabels = n - 1;
                break;
            }

            if (_rules.Contains(candidate) || (n >= 2 && _wildcards.Contains(string.Join('.', labels[^(n - 1)..]))))
            {
                suffixLabels = n;
            }
        }

        return labels.Length <= suffixLabels ? name : string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    /// <summary>Same organisational domain: DMARC's relaxed alignment (RFC 7489 3.1).</summary>
    public bool Aligned(string a, string b) =>
        string.Equals(OrganizationalDomain(a), OrganizationalDomain(b), StringComparison.Ordinal);

    private static string? Ascii(string name)
    {
        try
        {
            return Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
