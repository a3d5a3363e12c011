using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Data;

namespace Newsletter.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.Property(e => e.Actor).HasMaxLength(320);
        b.Property(e => e.Action).HasMaxLength(200);
        b.Property(e => e.Detail).HasMaxLength(1000);
        b.HasIndex(e => new { e.Actor, e.Id });
    }
}

/// <summary>The table Audit owns, named on the context (Data names no feature).</summary>
public static class AuditTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<AuditEntry> AuditEntries => db.Set<AuditEntry>();
    }
}
