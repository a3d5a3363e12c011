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

        comparison.Title = doc.Title!;
        comparison.Question = doc.Question;
        comparison.Summary = doc.Summary;
        comparison.Url = doc.Url!;
        comparison.PublishedAt = ComparisonValidator.ParsePublishedAt(doc.PublishedAt!)!.Value;
        comparison.UpdatedAt = now;
        comparison.Tools = [.. doc.Tools!.Select(t => new ComparisonTool
        {
            Name = t!.Name!, Category = t.Category, Tagline = t.Tagline, Description = t.Description,
            PanelShipPercent = t.PanelShipPercent, CommunityShipPercent = t.CommunityShipPercent, Entry = t.Entry,
        })];
        comparison.Reviews = [.. (doc.Reviews ?? []).Select(r => new ComparisonReview
        {
            Tool = r!.Tool!, Lens = r.Lens, Verdict = r.Verdict!, Quote = r.Quote,
        })];

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
