using System.Globalization;
using System.Text.RegularExpressions;
using Newsletter.Hosting;

namespace Newsletter.Comparisons;

/// <summary>The rules of the comparison document (DESIGN.md), reporting every invalid field at once.</summary>
public static partial class ComparisonValidator
{
    // Limits no real comparison reaches (the sample's longest description is ~400 characters), so
    // that a runaway field cannot make every mail of an issue megabytes long.
    public const int MaxTitleLength = 300;
    public const int MaxUrlLength = 2_000;
    public const int MaxNameLength = 200;
    public const int MaxShortTextLength = 300;
    public const int MaxParagraphLength = 2_000;
    public const int MaxTextLength = 5_000;
    public const int MaxReviews = 50;

    /// <summary>Field path ("tools[1].name") to what is wrong with it; empty when the document is valid.</summary>
    public static Dictionary<string, string[]> Validate(ComparisonDocument doc)
    {
        var errors = new Errors();

        if (string.IsNullOrEmpty(doc.Slug))
        {
            errors.Add("slug", "is required");
        }
        else if (!SlugPattern().IsMatch(doc.Slug))
        {
            errors.Add("slug", "must be 1 to 200 of a-z, 0-9 and -");
        }

        if (string.IsNullOrWhiteSpace(doc.Title))
        {
            errors.Add("title", "is required");
        }
        else if (doc.Title.Length > MaxTitleLength)
        {
            errors.Add("title", $"must be at most {MaxTitleLength} characters");
        }

        CheckLength(errors, "question", doc.Question, MaxParagraphLength);
        CheckLength(errors, "summary", doc.Summary, MaxParagraphLength);

        if (string.IsNullOrWhiteSpace(doc.Url))
        {
            errors.Add("url", "is required");
        }
        else if (doc.Url.Length > MaxUrlLength)
        {
            errors.Add("url", $"must be at most {MaxUrlLength} characters");
        }
        else if (!AbsoluteHttpUrlAttribute.IsHttpUrl(doc.Url))
        {
            errors.Add("url", "must be an absolute http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(doc.PublishedAt))
        {
            errors.Add("publishedAt", "is required");
        }
        else if (ParsePublishedAt(doc.PublishedAt) is null)
        {
            errors.Add("publishedAt", "must be an ISO 8601 timestamp with an offset, such as 2026-11-19T15:00:00Z");
        }

        var toolNames = ValidateTools(doc.Tools, errors);
        ValidateReviews(doc.Reviews, toolNames, errors);
        return errors.ToDictionary();
    }

    /// <summary>An ISO 8601 timestamp that states its offset ("Z" or "±hh:mm"); null otherwise.</summary>
    public static DateTimeOffset? ParsePublishedAt(string text) =>
        OffsetSuffix().IsMatch(text) &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : null;

    private static HashSet<string> ValidateTools(List<ToolDocument?>? tools, Errors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (tools is null)
        {
            errors.Add("tools", "is required: 2 to 4 tools");
            return names;
        }

        if (tools.Count is < 2 or > 4)
        {
            errors.Add("tools", $"must hold 2 to 4 tools (has {tools.Count})");
        }

        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"tools[{i}]";
            var tool = tools[i];
            if (tool is null)
            {
                errors.Add(path, "must be an object");
                continue;
            }

            if (string.IsNullOrWhiteSpace(tool.Name))
            {
                errors.Add($"{path}.name", "is required");
            }
            else if (tool.Name.Length > MaxNameLength)
            {
                errors.Add($"{path}.name", $"must be at most {MaxNameLength} characters");
            }
            else if (!names.Add(tool.Name))
            {
                errors.Add($"{path}.name", "must differ from the other tools' names");
            }

            CheckPercent(errors, $"{path}.panelShipPercent", tool.PanelShipPercent);
            CheckPercent(errors, $"{path}.communityShipPercent", tool.CommunityShipPercent);
            CheckLength(errors, $"{path}.category", tool.Category, MaxShortTextLength);
            CheckLength(errors, $"{path}.tagline", tool.Tagline, MaxShortTextLength);
            CheckLength(errors, $"{path}.entry", tool.Entry, MaxShortTextLength);
            CheckLength(errors, $"{path}.description", tool.Description, MaxTextLength);
        }

        return names;
    }

    private static void ValidateReviews(List<ReviewDocument?>? reviews, HashSet<string> toolNames, Errors errors)
    {
        if (reviews?.Count > MaxReviews)
        {
            errors.Add("reviews", $"must hold at most {MaxReviews} reviews (has {reviews.Count})");
        }

        for (var i = 0; reviews is not null && i < reviews.Count; i++)
        {
            var path = $"reviews[{i}]";
            var review = reviews[i];
            if (review is null)
            {
                errors.Add(path, "must be an object");
                continue;
            }

            if (string.IsNullOrWhiteSpace(review.Tool))
            {
                errors.Add($"{path}.tool", "is required");
            }
            else if (!toolNames.Contains(review.Tool))
            {
                errors.Add($"{path}.tool", "must name one of the tools");
            }

            if (review.Verdict is not ("ship" or "skip"))
            {
                errors.Add($"{path}.verdict", "must be \"ship\" or \"skip\"");
            }

            CheckLength(errors, $"{path}.lens", review.Lens, MaxShortTextLength);
            CheckLength(errors, $"{path}.quote", review.Quote, MaxTextLength);
        }
    }

    private static void CheckPercent(Errors errors, string path, int? value)
    {
        if (value is < 0 or > 100)
        {
            errors.Add(path, "must be from 0 to 100, or null");
        }
    }

    private static void CheckLength(Errors errors, string path, string? value, int max)
    {
        if (value?.Length > max)
        {
            errors.Add(path, $"must be at most {max} characters");
        }
    }

    [GeneratedRegex("^[a-z0-9-]{1,200}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex OffsetSuffix();

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_byField.TryGetValue(field, out var list))
            {
                _byField[field] = list = [];
            }

            list.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() =>
            _byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
