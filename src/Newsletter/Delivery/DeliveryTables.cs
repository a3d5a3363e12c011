using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Delivery;

/// <summary>
/// The table of deliveries, one row per issue and recipient, which Delivery owns.
/// The feature names its tables on the context itself, so that
/// Data builds the model without naming a feature (the mapping is in this folder too).
/// </summary>
public static class DeliveryTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<MailDelivery> Deliveries => db.Set<MailDelivery>();

        /// <summary>Recipient domains whose mail the reputation guard holds until an editor resumes them.</summary>
        public DbSet<PausedDomain> PausedDomains => db.Set<PausedDomain>();
    }
}
