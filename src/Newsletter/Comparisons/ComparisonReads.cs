using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Comparisons;

/// <summary>A comparison as a list shows it: what it is called, where it lives, when it was published, how many tools it weighs.</summary>
public sealed record ComparisonSummary(long Id, string Title, string Slug, string Url, DateTimeOffset PublishedAt, int Tools);

/// <summary>The comparisons read for the editors' console (which never opens the table itself).</summary>
public sealed class ComparisonReads(NewsletterDbContext db)
{
    /// <summary>At most <paramref name="limit"/> comparisons, newest first.</summary>
    public async Task<List<ComparisonSummary>> NewestAsync(int limit, CancellationToken cancellationToken) =>
        (await db.Comparisons.AsNoTracking()
            .OrderByDescending(c => c.PublishedAt)
            .Take(limit)
            .Select(c => new { c.Id, c.Title, c.Slug, c.Url, c.PublishedAt, Tools = c.Tools.Count })
            .ToListAsync(cancellationToken))
        .Select(c => new ComparisonSummary(c.Id, c.Title, c.Slug, c.Url, c.PublishedAt, c.Tools))
        .ToList();
}
