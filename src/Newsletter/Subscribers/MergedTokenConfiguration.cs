using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Subscribers;

internal sealed class MergedTokenConfiguration : IEntityTypeConfiguration<MergedToken>
{
    public void Configure(EntityTypeBuilder<MergedToken> b)
    {
        b.ToTable("MergedTokens");
        b.HasKey(t => t.Token);
        b.Property(t => t.Token).HasMaxLength(64);

        // Erasing the reader takes the tokens with them.
        b.HasOne<Subscriber>().WithMany().HasForeignKey(t => t.SubscriberId).OnDelete(DeleteBehavior.Cascade);
    }
}
