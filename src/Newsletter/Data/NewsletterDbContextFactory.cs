using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Newsletter.Data;

/// <summary>
/// For `dotnet ef migrations add … --context NewsletterDbContext`. Without it the tools take the
/// PostgreSQL factory for this context too (its product is a <see cref="NewsletterDbContext"/>) and
/// write a PostgreSQL migration into the SQLite folder. The model needs no file, so none is opened.
/// </summary>
internal sealed class NewsletterDbContextFactory : IDesignTimeDbContextFactory<NewsletterDbContext>
{
    public NewsletterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NewsletterDbContext>().UseSqlite("Data Source=newsletter.db").Options);
}
