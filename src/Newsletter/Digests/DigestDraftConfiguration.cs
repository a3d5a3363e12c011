using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Digests;

internal sealed class DigestDraftConfiguration : IEntityTypeConfiguration<DigestDraft>
{
    public void Configure(EntityTypeBuilder<DigestDraft> b)
    {
        b.ToTable("DigestDrafts");
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.Subject).HasMaxLength(DraftSubject.MaxLength);
        b.Property(d => d.SecondSubject).HasMaxLength(DraftSubject.MaxLength);
        b.Property(d => d.Version).IsConcurrencyToken();

        // The one draft exists from the start, so a save is always an UPDATE guarded by its version.
        b.HasData(new DigestDraft { Id = DigestDraft.TheDraft });
    }
}

internal sealed class PreviewMailingConfiguration : IEntityTypeConfiguration<PreviewMailing>
{
    public void Configure(EntityTypeBuilder<PreviewMailing> b)
    {
        b.ToTable("PreviewMailings");
        b.HasKey(p => p.Slot);
        b.Property(p => p.Slot).HasMaxLength(64);
    }
}
