using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Subscribers.Preferences;

internal sealed class ReaderPreferenceConfiguration : IEntityTypeConfiguration<ReaderPreference>
{
    public void Configure(EntityTypeBuilder<ReaderPreference> b)
    {
        b.ToTable("ReaderPreferences");
        b.HasKey(p => p.SubscriberId);
        b.Property(p => p.Frequency).HasMaxLength(16);

        // Erasing the reader erases their choices with them.
        b.HasOne<Subscriber>().WithOne().HasForeignKey<ReaderPreference>(p => p.SubscriberId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Topics).WithOne().HasForeignKey(t => t.SubscriberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReaderTopicConfiguration : IEntityTypeConfiguration<ReaderTopic>
{
    public void Configure(EntityTypeBuilder<ReaderTopic> b)
    {
        b.ToTable("ReaderTopics");
        b.HasKey(t => new { t.SubscriberId, t.Topic });
        b.Property(t => t.Topic).HasMaxLength(200);
    }
}
