using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.Web;

internal sealed class EditorSessionConfiguration : IEntityTypeConfiguration<EditorSession>
{
    public void Configure(EntityTypeBuilder<EditorSession> b)
    {
        b.ToTable("EditorSessions");
        b.Property(s => s.IdHash).HasMaxLength(64);
        b.Property(s => s.Editor).HasMaxLength(200);
        b.HasIndex(s => s.IdHash).IsUnique();
    }
}
