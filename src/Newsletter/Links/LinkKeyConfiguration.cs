using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Links;

internal sealed class LinkKeyConfiguration : IEntityTypeConfiguration<LinkKey>
{
    public void Configure(EntityTypeBuilder<LinkKey> b)
    {
        b.ToTable("LinkKeys");
        b.Property(k => k.Id).ValueGeneratedNever();
    }
}
