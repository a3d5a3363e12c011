using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Comparisons;

public enum UpsertOutcome
{
    Created,
    Updated,
    Invalid,
}

public sealed record UpsertResult(UpsertOutcome Outcome, Dictionary<string, string[]> Errors)
{
    public static UpsertResult Invalid(Dictionary<string, string[]> errors) => new(UpsertOutcome.Invalid, errors);
}

/// <summary>One row per comparison, listed for editors.</summary>
public sealed record ComparisonListItem(
    string Slug, string Title, string Url, DateTimeOffset PublishedAt, bool Carried, int? IssueNumber);

/// <summary>Validates and upserts comparison documents by slug; lists them for editors.</summary>
public sealed class ComparisonStore(NewsletterDbContext db, TimeProvider clock)
{
    public async Task<UpsertResult> UpsertAsync(ComparisonDocument doc, CancellationToken cancellationToken)
    {
        var errors = ComparisonValidator.Validate(doc);
        if (errors.Count > 0)
        {
            return UpsertResult.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var comparison = await db.Comparisons.SingleOrDefaultAsync(c => c.Slug == doc.Slug, cancellationToken);
        var outcome = comparison is null ? UpsertOutcome.Created : UpsertOutcome.Updated;
        if (comparison is null)
        {
            comparison = new Comparison { Slug = doc.Slug!, Title = doc.Title!, Url = doc.Url!, CreatedAt = now };
            db.Comparisons.Add(comparison);
        }

        doc.CopyTo(comparison);
        comparison.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertResult(outcome, []);
    }

    /// <summary>Newest first, with the number of the issue that carried each (if any; Digests knows, <paramref name="issues"/>).</summary>
    public async Task<List<ComparisonListItem>> ListAsync(IComparisonIssues issues, CancellationToken cancellationToken)
    {
        var rows = await db.Comparisons
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.Slug, c.Title, c.Url, c.PublishedAt })
            .ToListAsync(cancellationToken);
        var carried = await issues.IssueNumbersAsync(db, cancellationToken);
        return [.. rows.Select(r => carried.TryGetValue(r.Id, out var number)
            ? new ComparisonListItem(r.Slug, r.Title, r.Url, r.PublishedAt, true, number)
            : new ComparisonListItem(r.Slug, r.Title, r.Url, r.PublishedAt, false, null))];
    }
}
