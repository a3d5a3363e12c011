namespace Newsletter.Digests;

/// <summary>The next digest as JSON, as it would be made now (GET /api/digests/next).</summary>
public sealed record NextDigest(
    int Number,
    string Subject,
    bool WouldSend,
    int Waiting,
    IReadOnlyList<NextDigestComparison> Comparisons)
{
    public static NextDigest From(DigestPlan plan) => new(
        plan.Number,
        plan.Subject,
        plan.WouldSend,
        plan.Waiting,
        [.. plan.Comparisons.Select(c => new NextDigestComparison(c.Slug, c.Title, c.Url, c.PublishedAt))]);
}

public sealed record NextDigestComparison(string Slug, string Title, string Url, DateTimeOffset PublishedAt);

/// <summary>POST /api/digests/preview: the addresses to send the preview to (none: Newsletter:Editors).</summary>
public sealed record PreviewRequest(List<string>? To);

public sealed record PreviewSent(int Number, string Subject, IReadOnlyList<string> SentTo);
