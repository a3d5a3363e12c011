using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Web;

/// <summary>
/// The server's record of editors' sessions (<see cref="EditorSession"/>): opened at sign-in,
/// checked on each request made with the cookie, revoked at sign-out, so a copied cookie stops
/// working when its editor signs out.
/// </summary>
public sealed class EditorSessions(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>The claim that carries the session id (inside the encrypted cookie).</summary>
    public const string SessionClaim = "newsletter:session";

    private static readonly TimeSpan SeenEvery = TimeSpan.FromMinutes(1);

    /// <summary>Opens a session for <paramref name="editor"/>; the claim to put in the cookie.</summary>
    public async Task<Claim> OpenAsync(string editor, CancellationToken cancellationToken)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        db.Set<EditorSession>().Add(new EditorSession { IdHash = Hash(id), Editor = editor, CreatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync(cancellationToken);
        return new Claim(SessionClaim, id);
    }

    /// <summary>True while the principal's session exists and is not revoked (and notes it was seen).</summary>
    public async Task<bool> IsOpenAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        if (principal?.FindFirst(SessionClaim)?.Value is not { } id)
        {
            return false;
        }

        var hash = Hash(id);
        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Set<EditorSession>();
        var session = await sessions.AsNoTracking().Where(s => s.IdHash == hash)
            .Select(s => new { s.RevokedAt, s.LastSeenAt }).SingleOrDefaultAsync(cancellationToken);
        if (session is null || session.RevokedAt is not null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        if (now - session.LastSeenAt >= SeenEvery)
        {
            await sessions.Where(s => s.IdHash == hash).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
        }

        return true;
    }

    /// <summary>Revokes the principal's session, if it has one.</summary>
    public async Task RevokeAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        if (principal?.FindFirst(SessionClaim)?.Value is not { } id)
        {
            return;
        }

        var hash = Hash(id);
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Set<EditorSession>()
            .Where(s => s.IdHash == hash && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), cancellationToken);
    }

    /// <summary>Revokes every open session of <paramref name="editor"/> (an editor removed is signed out everywhere); how many.</summary>
    public async Task<int> RevokeEditorAsync(string editor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Set<EditorSession>()
            .Where(s => s.Editor == editor && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now), cancellationToken);
    }

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id)));
}
