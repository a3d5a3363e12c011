using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.Landing;

/// <summary>The links of one sent mail, as a reader's mail client or a scanner finds them.</summary>
internal sealed partial record MailLinks(IReadOnlyList<string> All, IReadOnlyList<string> Tracked, IReadOnlyList<string> Votes, string? Unsubscribe, string? WebVersion)
{
    /// <summary>The mail's links, or null while smtp-sink is still writing it (no end of its HTML yet).</summary>
    public static MailLinks? Read(string file)
    {
        string html;
        try
        {
            html = ReceivedMail.Load(file).Html;
        }
        catch (FormatException)
        {
            return null;
        }

        if (!html.Contains("</html>", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var all = Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .Where(h => h.StartsWith("http://127.0.0.1", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        return new MailLinks(
            all,
            [.. all.Where(l => l.Contains("/r/", StringComparison.Ordinal))],
            [.. all.Where(l => l.Contains("/vote?", StringComparison.Ordinal))],
            all.FirstOrDefault(l => l.Contains("/unsubscribe?", StringComparison.Ordinal)),
            all.FirstOrDefault(l => l.Contains("/issues/", StringComparison.Ordinal)));
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
