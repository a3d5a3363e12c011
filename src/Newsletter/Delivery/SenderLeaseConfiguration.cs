using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Delivery;

internal sealed class SenderLeaseConfiguration : IEntityTypeConfiguration<SenderLease>
{
    public void Configure(EntityTypeBuilder<SenderLease> b)
    {
        // One row per live engine, keyed by its random lease id.
        b.ToTable("SenderLeases");
        b.Property(l => l.Id).ValueGeneratedNever();
        b.Property(l => l.Owner).HasMaxLength(200);
    }
}
