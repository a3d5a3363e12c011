using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Newsletter.Data;

/// <summary>
/// The same model on PostgreSQL, with migrations of its own (Data/Migrations/Postgres): EF Core's
/// pattern for several providers is one context type per provider, each owning its migrations.
/// The SQLite migrations belong to <see cref="NewsletterDbContext"/> itself, where they always were.
/// <para>
/// Every table and column name is lower case here. PostgreSQL folds unquoted names to lower case,
/// so the hand-written SQL of the features (<c>UPDATE Issues SET Status = …</c>) runs unchanged on
/// both engines, and psql needs no quotes.
/// </para>
/// </summary>
public sealed class PostgresNewsletterDbContext(DbContextOptions<PostgresNewsletterDbContext> options) : NewsletterDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.IsMappedToJson())
            {
                // Owned JSON documents live in their owner's column; only that column's name changes.
                entity.SetContainerColumnName(entity.GetContainerColumnName()?.ToLowerInvariant());
                continue;
            }

            entity.SetTableName(entity.GetTableName()?.ToLowerInvariant());
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(property.GetColumnName().ToLowerInvariant());
            }
        }
    }
}

/// <summary>
/// For `dotnet ef migrations add … --context PostgresNewsletterDbContext`: the model needs no
/// server, so no configuration is read.
/// </summary>
internal sealed class PostgresNewsletterDbContextFactory : IDesignTimeDbContextFactory<PostgresNewsletterDbContext>
{
    public PostgresNewsletterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNewsletterDbContext>().UseNpgsql("Host=localhost;Database=newsletter").Options);
}
