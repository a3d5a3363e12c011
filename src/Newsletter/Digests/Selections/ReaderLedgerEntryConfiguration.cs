using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Subscribers;

namespace Newsletter.Digests.Selections;

internal sealed class ReaderLedgerEntryConfiguration : IEntityTypeConfiguration<ReaderLedgerEntry>
{
    public void Configure(EntityTypeBuilder<ReaderLedgerEntry> b)
    {
        b.ToTable("ReaderLedger");
        b.HasKey(l => new { l.SubscriberId, l.ComparisonId });

        // What one issue carries to each reader, read once per send (and per issue-making, to tell an
        // issue's whole delivery from a chosen one).
        b.HasIndex(l => new { l.IssueId, l.SubscriberId });
        b.HasOne<Subscriber>().WithMany().HasForeignKey(l => l.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<DigestIssue>().WithMany().HasForeignKey(l => l.IssueId).OnDelete(DeleteBehavior.Cascade);
    }
}
