using Newsletter.Data;

namespace Newsletter.Comparisons;

/// <summary>
/// Which issue carried each comparison, for the editors' list. Digests, which owns the issues and
/// what they carry, answers it; Comparisons never reads those tables (Digests depends on Comparisons,
/// not the other way).
/// </summary>
public interface IComparisonIssues
{
    /// <summary>The number of the issue that carried each comparison, by comparison id; uncarried ones are absent.</summary>
    Task<IReadOnlyDictionary<long, int>> IssueNumbersAsync(NewsletterDbContext db, CancellationToken cancellationToken);
}
