using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// The tables Subscribers owns.
/// The feature names its tables on the context itself, so that
/// Data builds the model without naming a feature (the mapping is in this folder too).
/// </summary>
public static class SubscriberTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<Subscriber> Subscribers => db.Set<Subscriber>();

        public DbSet<MergedToken> MergedTokens => db.Set<MergedToken>();

        public DbSet<Preferences.ReaderDataRequest> ReaderDataRequests => db.Set<Preferences.ReaderDataRequest>();
    }
}
