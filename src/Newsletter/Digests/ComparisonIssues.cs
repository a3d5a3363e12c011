using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Digests;

/// <summary>Digests' answer to <see cref="IComparisonIssues"/>, read from the comparisons each issue carries.</summary>
public sealed class ComparisonIssues : IComparisonIssues
{
    public async Task<IReadOnlyDictionary<long, int>> IssueNumbersAsync(NewsletterDbContext db, CancellationToken cancellationToken) =>
        await db.IssueComparisons.AsNoTracking()
            .Select(ic => new { ic.ComparisonId, ic.Issue!.Number })
            .ToDictionaryAsync(x => x.ComparisonId, x => x.Number, cancellationToken);
}
