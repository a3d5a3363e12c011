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

    /// <summary>Newest first, with the number of the issue that carried each (if any).</summary>
    public async Task<List<ComparisonListItem>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await (
            from c in db.Comparisons
            join ic in db.IssueComparisons on c.Id equals ic.ComparisonId into carried
            from ic in carried.DefaultIfEmpty()
            orderby c.PublishedAt descending, c.Id descending
            select new { c.Slug, c.Title, c.Url, c.PublishedAt, IssueNumber = ic == null ? (int?)null : ic.Issue!.Number })
            .ToListAsync(cancellationToken);

        return [.. rows.Select(r => new ComparisonListItem(r.Slug, r.Title, r.Url, r.PublishedAt, r.IssueNumber is not null, r.IssueNumber))];
    }
}
