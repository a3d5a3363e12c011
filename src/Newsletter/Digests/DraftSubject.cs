using System.Globalization;
using System.Text.RegularExpressions;

namespace Newsletter.Digests;

/// <summary>
/// The editor's subject line and its placeholders: {number} (the issue's number) and {title} (the
/// first comparison the reader's mail carries). The editor's text is never run as a template: the
/// two placeholders are replaced as plain text and nothing else in it means anything.
/// </summary>
public static partial class DraftSubject
{
    public const int MaxLength = 300;

    public const string Number = "{number}";

    public const string Title = "{title}";

    /// <summary>The subject with the placeholders replaced (a title-less issue leaves {title} empty).</summary>
    public static string Fill(string template, int number, string? firstTitle) =>
        template
            .Replace(Number, number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(Title, firstTitle ?? "", StringComparison.Ordinal)
            .Trim();

    /// <summary>What is wrong with a subject before it is saved (empty: nothing).</summary>
    public static List<string> Problems(string? subject)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(subject))
        {
            return problems;
        }

        if (subject.Length > MaxLength)
        {
            problems.Add($"is {subject.Length} characters long; at most {MaxLength}");
        }

        // A line break in a subject would be a header injection; other control characters are noise.
        if (subject.Any(char.IsControl))
        {
            problems.Add("has a line break or another control character");
        }

        foreach (var match in Placeholder().Matches(subject).Select(m => m.Value).Distinct(StringComparer.Ordinal))
        {
            if (match is not (Number or Title))
            {
                problems.Add($"has the placeholder {match}, which is not one: use {Number} or {Title}");
            }
        }

        return problems;
    }

    [GeneratedRegex(@"\{[A-Za-z_]+\}")]
    private static partial Regex Placeholder();
}
