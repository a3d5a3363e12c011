using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Subscribers.Preferences;

internal sealed class ReaderDataRequestConfiguration : IEntityTypeConfiguration<ReaderDataRequest>
{
    public void Configure(EntityTypeBuilder<ReaderDataRequest> b)
    {
        b.ToTable("ReaderDataRequests");
        b.HasKey(r => r.Id);
        b.Property(r => r.TokenHash).HasMaxLength(64);
        b.HasIndex(r => r.TokenHash).IsUnique();
        b.HasIndex(r => r.MailDueAt);

        // Erasing the reader takes their requests (and so their links) with them.
        b.HasOne<Subscriber>().WithMany().HasForeignKey(r => r.SubscriberId).OnDelete(DeleteBehavior.Cascade);
    }
}
