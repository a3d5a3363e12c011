using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Clicks;

namespace Newsletter.Digests;

internal sealed class DigestIssueConfiguration : IEntityTypeConfiguration<DigestIssue>
{
    public void Configure(EntityTypeBuilder<DigestIssue> b)
    {
        b.ToTable("Issues");
        b.HasIndex(i => i.Number).IsUnique();
        b.HasIndex(i => i.Slot).IsUnique();
        b.Property(i => i.Status).HasMaxLength(16);
        b.Property(i => i.PauseReason).HasMaxLength(1000);
        b.Property(i => i.SubjectWinner).HasMaxLength(1);
        b.Property(i => i.SubjectWinnerBy).HasMaxLength(300);
        b.HasMany(i => i.Comparisons).WithOne(c => c.Issue).HasForeignKey(c => c.IssueId);

        // Clicks' tables point at the issue, but Clicks never names Digests (Digests makes the tracked
        // links while rendering): their foreign keys to the issue are said from this side.
        b.HasMany<IssueLink>().WithOne().HasForeignKey(l => l.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<IssueClickSalt>().WithOne().HasForeignKey(s => s.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<Click>().WithOne().HasForeignKey(c => c.IssueId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class DigestIssueComparisonConfiguration : IEntityTypeConfiguration<DigestIssueComparison>
{
    public void Configure(EntityTypeBuilder<DigestIssueComparison> b)
    {
        b.ToTable("IssueComparisons");
        b.HasKey(c => new { c.IssueId, c.ComparisonId });

        // The database itself refuses to carry one comparison in two issues.
        b.HasIndex(c => c.ComparisonId).IsUnique();
        b.HasOne(c => c.Comparison).WithMany().HasForeignKey(c => c.ComparisonId).OnDelete(DeleteBehavior.Restrict);
    }
}
