using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Subscribers;

namespace Newsletter.Digests.Selections;

internal sealed class SettledReaderConfiguration : IEntityTypeConfiguration<SettledReader>
{
    public void Configure(EntityTypeBuilder<SettledReader> b)
    {
        b.ToTable("SettledReaders");
        b.HasKey(m => m.SubscriberId);
        b.Property(m => m.TopicsStamp).HasMaxLength(64);

        // Erasing the reader erases their mark with them. No key to Issues: every chooser's mark
        // moves with every issue, and an index on UpToIssueId would double that write; a mark
        // naming an issue that is gone is harmless (issues are never deleted, and a mark is only a shortcut).
        b.HasOne<Subscriber>().WithOne().HasForeignKey<SettledReader>(m => m.SubscriberId).OnDelete(DeleteBehavior.Cascade);
    }
}
