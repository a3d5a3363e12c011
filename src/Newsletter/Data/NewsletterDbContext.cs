using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Data;

public sealed class NewsletterDbContext(DbContextOptions<NewsletterDbContext> options) : DbContext(options)
{
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();

    public DbSet<Comparison> Comparisons => Set<Comparison>();

    public DbSet<DigestIssue> Issues => Set<DigestIssue>();

    public DbSet<DigestIssueComparison> IssueComparisons => Set<DigestIssueComparison>();

    public DbSet<MailDelivery> Deliveries => Set<MailDelivery>();

    public DbSet<SenderLease> SenderLease => Set<SenderLease>();

    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();

    public DbSet<Inbound.DeliveryReport> DeliveryReports => Set<Inbound.DeliveryReport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NewsletterDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no instant type, and EF cannot order or compare DateTimeOffset stored as text.
        // Unix milliseconds order correctly, compare in SQL, and read well with datetime(x/1000, 'unixepoch').
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }
}
