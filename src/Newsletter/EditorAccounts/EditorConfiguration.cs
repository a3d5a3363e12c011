using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Newsletter.Data;

namespace Newsletter.EditorAccounts;

internal sealed class EditorConfiguration : IEntityTypeConfiguration<Editor>
{
    public void Configure(EntityTypeBuilder<Editor> b)
    {
        b.ToTable("Editors");
        b.Property(e => e.Email).HasMaxLength(EditorDirectory.MaxAddress);
        b.Property(e => e.Name).HasMaxLength(200);
        b.HasIndex(e => e.Email).IsUnique();
    }
}

internal sealed class EditorSignInLinkConfiguration : IEntityTypeConfiguration<EditorSignInLink>
{
    public void Configure(EntityTypeBuilder<EditorSignInLink> b)
    {
        b.ToTable("EditorSignInLinks");
        b.Property(l => l.TokenHash).HasMaxLength(64);
        b.HasIndex(l => l.TokenHash).IsUnique();
        b.HasIndex(l => l.MailDueAt);

        // Removing an editor takes their pending links with them.
        b.HasOne<Editor>().WithMany().HasForeignKey(l => l.EditorId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The tables EditorAccounts owns, named on the context (Data names no feature).</summary>
public static class EditorTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<Editor> Editors => db.Set<Editor>();

        public DbSet<EditorSignInLink> EditorSignInLinks => db.Set<EditorSignInLink>();
    }
}
