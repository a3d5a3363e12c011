namespace Newsletter.Digests;

/// <summary>
/// The next issue as the editors shape it: their note, their subject, the order of the comparisons
/// and the ones held back. One row (Id 1), made by the migration; <see cref="Version"/> goes up with
/// every save, so an editor who saves over a draft they have not seen is told instead of winning.
/// Making an issue takes the draft and empties it in the same transaction.
/// </summary>
public sealed class DigestDraft
{
    public const long TheDraft = 1;

    public long Id { get; set; }

    /// <summary>Markdown; null: no note.</summary>
    public string? Note { get; set; }

    /// <summary>With {number} and {title}; null: the generated subject.</summary>
    public string? Subject { get; set; }

    /// <summary>A second subject (same placeholders): the issue made from the draft runs a subject test. Null: none.</summary>
    public string? SecondSubject { get; set; }

    /// <summary>Slugs in the order the editors put them, space-separated (slugs hold no space); the rest follow by publication.</summary>
    public string Order { get; set; } = "";

    /// <summary>Slugs held back for a later issue, space-separated.</summary>
    public string Held { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset? SavedAt { get; set; }

    public static IReadOnlyList<string> Slugs(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Join(IEnumerable<string> slugs) => string.Join(' ', slugs);
}

/// <summary>
/// A preview mailed by Digest:PreviewBefore for one schedule slot. The slot is the key: on any number
/// of instances the first insert wins and the others send nothing.
/// </summary>
public sealed class PreviewMailing
{
    /// <summary>The send slot the preview announces ("2026-11-30T09:00:00Z").</summary>
    public required string Slot { get; set; }

    public DateTimeOffset SentAt { get; set; }
}
