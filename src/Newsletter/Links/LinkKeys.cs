using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Links;

/// <summary>Loads the link secret once per process, making it on first use (racing instances agree on one).</summary>
public sealed class LinkKeys(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private LinkSecrets? _secrets;

    public async ValueTask<LinkSecrets> GetAsync(CancellationToken cancellationToken)
    {
        if (_secrets is { } known)
        {
            return known;
        }

        await _once.WaitAsync(cancellationToken);
        try
        {
            return _secrets ??= new LinkSecrets(await LoadOrCreateAsync(cancellationToken));
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose() => _once.Dispose();

    private async Task<byte[]> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var keys = db.Set<LinkKey>();
        if (await keys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == LinkKey.Current, cancellationToken) is { } stored)
        {
            return stored.Secret;
        }

        try
        {
            var made = new LinkKey { Id = LinkKey.Current, Secret = RandomNumberGenerator.GetBytes(32), CreatedAt = clock.GetUtcNow() };
            keys.Add(made);
            await db.SaveChangesAsync(cancellationToken);
            return made.Secret;
        }
        catch (DbUpdateException)
        {
            // Another instance made it first: use theirs.
            db.ChangeTracker.Clear();
            return (await keys.AsNoTracking().SingleAsync(k => k.Id == LinkKey.Current, cancellationToken)).Secret;
        }
    }
}
