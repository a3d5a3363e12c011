using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Data;

/// <summary>
/// The model, one for every provider. This type is also the SQLite context (its migrations are
/// Data/Migrations/*.cs); <see cref="PostgresNewsletterDbContext"/> is the same model on PostgreSQL.
/// </summary>
public class NewsletterDbContext : DbContext, IDataProtectionKeyContext
{
    public NewsletterDbContext(DbContextOptions<NewsletterDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type (its options name that type).</summary>
    protected NewsletterDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Subscriber> Subscribers => Set<Subscriber>();

    public DbSet<Comparison> Comparisons => Set<Comparison>();

    public DbSet<DigestIssue> Issues => Set<DigestIssue>();

    public DbSet<DigestIssueComparison> IssueComparisons => Set<DigestIssueComparison>();

    public DbSet<MailDelivery> Deliveries => Set<MailDelivery>();

    public DbSet<SenderLease> SenderLease => Set<SenderLease>();

    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();

    public DbSet<Inbound.DeliveryReport> DeliveryReports => Set<Inbound.DeliveryReport>();

    /// <summary>Recipient domains whose mail the reputation guard holds until an editor resumes them.</summary>
    public DbSet<PausedDomain> PausedDomains => Set<PausedDomain>();

    /// <summary>ASP.NET Core Data Protection's key ring (editors' cookies), shared by every instance (<see cref="SharedDataProtection"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NewsletterDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no instant type, and EF cannot order or compare DateTimeOffset stored as text.
        // Unix milliseconds order correctly, compare in SQL, and read well with datetime(x/1000, 'unixepoch').
        // PostgreSQL stores the same bigint (to_timestamp(x/1000.0) reads it), so the features' SQL,
        // which passes instants as milliseconds, means the same on both engines.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }
}
