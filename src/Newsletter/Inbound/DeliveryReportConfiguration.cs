using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

internal sealed class DeliveryReportConfiguration : IEntityTypeConfiguration<DeliveryReport>
{
    public void Configure(EntityTypeBuilder<DeliveryReport> b)
    {
        b.ToTable("DeliveryReports");
        b.Property(r => r.Kind).HasMaxLength(16);
        b.Property(r => r.Diagnostic).HasMaxLength(500);
        b.Property(r => r.Source).HasMaxLength(16);
        b.Property(r => r.InboundKey).HasMaxLength(200);
        b.Property(r => r.Reason).HasMaxLength(32);
        b.Property(r => r.Status).HasMaxLength(16);
        b.Property(r => r.RecipientDomain).HasMaxLength(255);

        // A mail seen again is found by its key; an issue's counts read by issue and kind.
        b.HasIndex(r => r.InboundKey);
        b.HasIndex(r => new { r.IssueId, r.Kind });
        b.HasIndex(r => r.SubscriberId);
        b.HasOne<DigestIssue>().WithMany().HasForeignKey(r => r.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Subscriber>().WithMany().HasForeignKey(r => r.SubscriberId).OnDelete(DeleteBehavior.SetNull);
    }
}
