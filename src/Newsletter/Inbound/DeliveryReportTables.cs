using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Inbound;

/// <summary>
/// The table Inbound owns: what came back for a mail.
/// The feature names its tables on the context itself, so that
/// Data builds the model without naming a feature (the mapping is in this folder too).
/// </summary>
public static class DeliveryReportTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<DeliveryReport> DeliveryReports => db.Set<DeliveryReport>();
    }
}
