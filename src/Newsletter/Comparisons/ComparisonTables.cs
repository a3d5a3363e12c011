using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Comparisons;

/// <summary>
/// The table Comparisons owns.
/// The feature names its tables on the context itself, so that
/// Data builds the model without naming a feature (the mapping is in this folder too).
/// </summary>
public static class ComparisonTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<Comparison> Comparisons => db.Set<Comparison>();
    }
}
