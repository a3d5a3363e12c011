using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Digests;

/// <summary>The tables of the editors' draft, which Digests owns (as <see cref="IssueTables"/>).</summary>
public static class DraftTables
{
    extension(NewsletterDbContext db)
    {
        public DbSet<DigestDraft> Drafts => db.Set<DigestDraft>();

        public DbSet<PreviewMailing> PreviewMailings => db.Set<PreviewMailing>();
    }
}
