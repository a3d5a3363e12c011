using Newsletter.Comparisons;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// The one rule for topics: a topic is a tool's `category`, compared case-insensitively (trimmed,
/// inner spaces collapsed, lowercased invariantly), so "Developer tools" and "developer  Tools" are one.
/// </summary>
public static class TopicKeys
{
    public static string? Key(string? category)
    {
        if (string.IsNullOrWhiteSpace(category))
        {
            return null;
        }

        return string.Join(' ', category.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
    }

    /// <summary>The topics a comparison belongs to: its tools' categories (none: it goes to every reader).</summary>
    public static IReadOnlySet<string> Of(Comparison comparison) =>
        comparison.Tools.Select(t => Key(t.Category)).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
