using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

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

    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();

    /// <summary>ASP.NET Core Data Protection's key ring (editors' cookies), shared by every instance (<see cref="SharedDataProtection"/>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Each feature keeps its entities' mappings (its <see cref="IEntityTypeConfiguration{TEntity}"/>s) in
    /// its own folder, beside the entities (eShop's way); the model is whatever they configure, so this
    /// context names no feature. A feature reaches its tables through <c>Set&lt;T&gt;()</c> or the
    /// extension properties it declares on this type (Subscribers' <c>db.Subscribers</c>).
    /// </summary>
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
