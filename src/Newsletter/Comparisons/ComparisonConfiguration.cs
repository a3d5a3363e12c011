using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Comparisons;

internal sealed class ComparisonConfiguration : IEntityTypeConfiguration<Comparison>
{
    public void Configure(EntityTypeBuilder<Comparison> b)
    {
        b.ToTable("Comparisons");
        b.Property(c => c.Slug).HasMaxLength(200);
        b.HasIndex(c => c.Slug).IsUnique();
        b.Property(c => c.Title).HasMaxLength(300);
        b.HasIndex(c => c.PublishedAt);

        // Tools and reviews are always read and replaced with their comparison: one JSON column each.
        b.OwnsMany(c => c.Tools, t => t.ToJson());
        b.OwnsMany(c => c.Reviews, r => r.ToJson());
    }
}
