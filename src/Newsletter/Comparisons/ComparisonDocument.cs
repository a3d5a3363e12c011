using System.Text.Json;
using System.Text.Json.Serialization;

namespace Newsletter.Comparisons;

/// <summary>
/// The comparison document as it arrives (JSON, camelCase). Everything is nullable so that a
/// malformed document still binds and the validator can name every bad field at once.
/// </summary>
public sealed record ComparisonDocument
{
    public string? Slug { get; init; }
    public string? Title { get; init; }
    public string? Question { get; init; }
    public string? Summary { get; init; }
    public string? Url { get; init; }

    /// <summary>Kept as text: the rule is "ISO 8601 with an offset", which a parsed value cannot show.</summary>
    public string? PublishedAt { get; init; }

    public List<ToolDocument?>? Tools { get; init; }
    public List<ReviewDocument?>? Reviews { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Copies a valid document onto the stored comparison (everything but ids and timestamps).</summary>
    public void CopyTo(Comparison comparison)
    {
        comparison.Slug = Slug!;
        comparison.Title = Title!;
        comparison.Question = Question;
        comparison.Summary = Summary;
        comparison.Url = Url!;
        comparison.PublishedAt = ComparisonValidator.ParsePublishedAt(PublishedAt!)!.Value;
        comparison.Tools = [.. Tools!.Select(t => new ComparisonTool
        {
            Name = t!.Name!, Category = t.Category, Tagline = t.Tagline, Description = t.Description,
            PanelShipPercent = t.PanelShipPercent, CommunityShipPercent = t.CommunityShipPercent, Entry = t.Entry,
        })];
        comparison.Reviews = [.. (Reviews ?? []).Select(r => new ComparisonReview
        {
            Tool = r!.Tool!, Lens = r.Lens, Verdict = r.Verdict!, Quote = r.Quote,
        })];
    }
}

public sealed record ToolDocument
{
    public string? Name { get; init; }
    public string? Category { get; init; }
    public string? Tagline { get; init; }
    public string? Description { get; init; }
    public int? PanelShipPercent { get; init; }
    public int? CommunityShipPercent { get; init; }
    public string? Entry { get; init; }
}

public sealed record ReviewDocument
{
    public string? Tool { get; init; }
    public string? Lens { get; init; }
    public string? Verdict { get; init; }
    public string? Quote { get; init; }
}
