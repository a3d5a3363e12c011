using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Subscribers;

internal sealed class SubscriberConfiguration : IEntityTypeConfiguration<Subscriber>
{
    public void Configure(EntityTypeBuilder<Subscriber> b)
    {
        b.ToTable("Subscribers");
        b.Property(s => s.Email).HasMaxLength(320);
        b.Property(s => s.EmailKey).HasMaxLength(320);
        b.HasIndex(s => s.EmailKey).IsUnique();
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Status).HasMaxLength(16);
        b.HasIndex(s => s.Status);
        b.HasIndex(s => s.ConfirmTokenHash).IsUnique();
        b.HasIndex(s => s.ConfirmationMailDueAt);
        b.HasIndex(s => s.WelcomeMailDueAt);
        b.Property(s => s.ConfirmedIp).HasMaxLength(64);
        b.Property(s => s.ConfirmedUserAgent).HasMaxLength(500);
        b.Property(s => s.UnsubscribeToken).HasMaxLength(64);
        b.Property(s => s.StoppedReason).HasMaxLength(500);
        b.HasIndex(s => s.UnsubscribeToken).IsUnique();
    }
}
