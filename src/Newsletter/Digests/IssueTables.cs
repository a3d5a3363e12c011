using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Digests;

/// <summary>
/// The tables Digests owns: the issues and the comparisons each carries.
/// The feature names its tables on the context itself, so that
/// Data builds the model without naming a feature (the mapping is in this folder too).
/// </summary>
public static class IssueTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<DigestIssue> Issues => db.Set<DigestIssue>();

        public DbSet<DigestIssueComparison> IssueComparisons => db.Set<DigestIssueComparison>();
    }
}
