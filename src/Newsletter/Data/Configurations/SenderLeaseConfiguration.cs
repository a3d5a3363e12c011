using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Delivery;

namespace Newsletter.Data.Configurations;

internal sealed class SenderLeaseConfiguration : IEntityTypeConfiguration<SenderLease>
{
    public void Configure(EntityTypeBuilder<SenderLease> b)
    {
        b.ToTable("SenderLease");
        b.Property(l => l.Id).ValueGeneratedNever();
        b.Property(l => l.Owner).HasMaxLength(200);

        // The one row exists from the migration on: taking the lease is always an UPDATE.
        b.HasData(new SenderLease { Id = SenderLease.RowId });
    }
}
