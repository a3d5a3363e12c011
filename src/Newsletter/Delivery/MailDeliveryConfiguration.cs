using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

internal sealed class MailDeliveryConfiguration : IEntityTypeConfiguration<MailDelivery>
{
    public void Configure(EntityTypeBuilder<MailDelivery> b)
    {
        b.ToTable("Deliveries");
        b.Property(d => d.Status).HasMaxLength(16);
        b.Property(d => d.FailureReason).HasMaxLength(32);
        b.Property(d => d.FailureStatus).HasMaxLength(16);
        b.Property(d => d.Variant).HasMaxLength(1);

        // One row per issue and recipient: a second snapshot of the same issue inserts nothing.
        b.HasIndex(d => new { d.IssueId, d.SubscriberId }).IsUnique();

        // Senders claim the next rows of an issue by status in id order.
        b.HasIndex(d => new { d.IssueId, d.Status, d.Id });
        b.HasOne<DigestIssue>().WithMany().HasForeignKey(d => d.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Subscriber>().WithMany().HasForeignKey(d => d.SubscriberId).OnDelete(DeleteBehavior.SetNull);
    }
}
