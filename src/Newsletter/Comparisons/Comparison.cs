namespace Newsletter.Comparisons;

/// <summary>A published side-by-side comparison of AI tools (the comparison document, stored).</summary>
public sealed class Comparison
{
    public long Id { get; set; }

    public required string Slug { get; set; }

    public required string Title { get; set; }

    public string? Question { get; set; }

    public string? Summary { get; set; }

    public required string Url { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public List<ComparisonTool> Tools { get; set; } = [];

    public List<ComparisonReview> Reviews { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ComparisonTool
{
    public required string Name { get; set; }

    public string? Category { get; set; }

    public string? Tagline { get; set; }

    public string? Description { get; set; }

    public int? PanelShipPercent { get; set; }

    public int? CommunityShipPercent { get; set; }

    public string? Entry { get; set; }
}

public sealed class ComparisonReview
{
    public required string Tool { get; set; }

    public string? Lens { get; set; }

    /// <summary>"ship" or "skip".</summary>
    public required string Verdict { get; set; }

    public string? Quote { get; set; }
}
