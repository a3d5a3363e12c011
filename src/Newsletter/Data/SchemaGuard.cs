using Microsoft.EntityFrameworkCore;

namespace Newsletter.Data;

/// <summary>The database was migrated by a newer version: this binary does not know its tables and must not write them.</summary>
public sealed class NewerSchemaException(string message) : InvalidOperationException(message);

/// <summary>
/// Whether the database holds migrations this version does not know, i.e. a newer version upgraded
/// it (on PostgreSQL with several instances, the first one upgraded). Asked whenever the delivery
/// engine takes a sender lease, not only at start: an old instance left running beside an upgraded
/// one stops sending at its next lease and says why, instead of writing rows it no longer understands.
/// </summary>
public sealed class SchemaGuard(IServiceScopeFactory scopes)
{
    /// <summary>Throws <see cref="NewerSchemaException"/> when the database is newer than this binary.</summary>
    public async Task EnsureNotNewerAsync(CancellationToken cancellationToken)
    {
        var unknown = await UnknownMigrationsAsync(cancellationToken);
        if (unknown.Count > 0)
        {
            throw new NewerSchemaException(
                $"the database was upgraded by a newer version of Newsletter (migrations this version does not know: {string.Join(", ", unknown)}); " +
                "this instance sends nothing: upgrade it to the version that migrated the database");
        }
    }

    public async Task<IReadOnlyList<string>> UnknownMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        return [.. applied.Where(m => !known.Contains(m))];
    }
}
