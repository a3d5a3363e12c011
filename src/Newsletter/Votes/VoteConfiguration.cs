using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Comparisons;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

internal sealed class VoteConfiguration : IEntityTypeConfiguration<Vote>
{
    public void Configure(EntityTypeBuilder<Vote> b)
    {
        b.ToTable("Votes");
        b.Property(v => v.Tool).HasMaxLength(300);

        // One vote per reader and tool; erased readers' votes (no subscriber) may be many.
        b.HasIndex(v => new { v.ComparisonId, v.Tool, v.SubscriberId }).IsUnique();
        b.HasIndex(v => v.SubscriberId);
        b.HasOne<Comparison>().WithMany().HasForeignKey(v => v.ComparisonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Subscriber>().WithMany().HasForeignKey(v => v.SubscriberId).OnDelete(DeleteBehavior.SetNull);
    }
}
