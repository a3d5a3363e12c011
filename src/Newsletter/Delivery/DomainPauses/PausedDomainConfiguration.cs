using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Delivery;

internal sealed class PausedDomainConfiguration : IEntityTypeConfiguration<PausedDomain>
{
    public void Configure(EntityTypeBuilder<PausedDomain> b)
    {
        b.ToTable("PausedDomains");

        // A handful of rows at most: the claims anti-join on the domain.
        b.HasKey(p => p.Domain);
        b.Property(p => p.Domain).HasMaxLength(255);
        b.Property(p => p.Reason).HasMaxLength(500);
        b.Property(p => p.Samples).HasMaxLength(2000);
    }
}
