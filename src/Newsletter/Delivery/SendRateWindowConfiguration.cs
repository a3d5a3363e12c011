using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Delivery;

internal sealed class SendRateWindowConfiguration : IEntityTypeConfiguration<SendRateWindow>
{
    public void Configure(EntityTypeBuilder<SendRateWindow> b)
    {
        // One row (id 1), made by the first instance that sends under a rate limit.
        b.ToTable("SendRate");
        b.Property(w => w.Id).ValueGeneratedNever();
    }
}
