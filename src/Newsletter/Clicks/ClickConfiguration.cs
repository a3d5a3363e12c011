using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Subscribers;

namespace Newsletter.Clicks;

internal sealed class IssueLinkConfiguration : IEntityTypeConfiguration<IssueLink>
{
    public void Configure(EntityTypeBuilder<IssueLink> b)
    {
        b.ToTable("IssueLinks");
        b.Property(l => l.Url).HasMaxLength(2000);
        b.HasIndex(l => new { l.IssueId, l.Url }).IsUnique();
    }
}

internal sealed class IssueClickSaltConfiguration : IEntityTypeConfiguration<IssueClickSalt>
{
    public void Configure(EntityTypeBuilder<IssueClickSalt> b)
    {
        b.ToTable("IssueClickSalts");
        b.HasKey(s => s.IssueId);
    }
}

internal sealed class ClickConfiguration : IEntityTypeConfiguration<Click>
{
    public void Configure(EntityTypeBuilder<Click> b)
    {
        b.ToTable("Clicks");
        b.Property(c => c.ReaderHash).HasMaxLength(64);

        // Counts per link; the burst rule looks up one mail's recent clicks.
        b.HasIndex(c => new { c.LinkId, c.Scanner });
        b.HasIndex(c => new { c.IssueId, c.ReaderHash, c.ClickedAt });
        b.HasOne<IssueLink>().WithMany().HasForeignKey(c => c.LinkId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Subscriber>().WithMany().HasForeignKey(c => c.SubscriberId).OnDelete(DeleteBehavior.SetNull);
    }
}
