using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.EditorAccounts;

/// <summary>
/// The one-time sign-in links: asked for (queued for <see cref="SignInMailer"/>, only for an editor,
/// with no sign of the difference to the asker), looked at (GET: changes nothing), used (POST: one
/// conditional UPDATE, so a link works once even when two requests race).
/// </summary>
public sealed class SignInLinks(NewsletterDbContext db, SignInMailer mailer, TimeProvider clock)
{
    /// <summary>How long a link works, counted from the request.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>Open requests per editor at once: more asks add no mail (a stranger cannot flood an editor's inbox).</summary>
    public const int OpenPerEditor = 3;

    /// <summary>Queues a link's mail when <paramref name="email"/> is an editor's; does nothing else otherwise.</summary>
    public async Task RequestAsync(string email, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var editor = await db.Editors.AsNoTracking().Where(e => e.Email == email).Select(e => (long?)e.Id).SingleOrDefaultAsync(ct);
        if (editor is not { } id)
        {
            return;
        }

        // Expired links are of no use to anyone: cleared here, where new ones are made.
        await db.EditorSignInLinks.Where(l => l.ExpiresAt < now).ExecuteDeleteAsync(ct);
        if (await db.EditorSignInLinks.CountAsync(l => l.EditorId == id && l.UsedAt == null, ct) >= OpenPerEditor)
        {
            return;
        }

        db.EditorSignInLinks.Add(new EditorSignInLink { EditorId = id, RequestedAt = now, ExpiresAt = now + Lifetime, MailDueAt = now });
        await db.SaveChangesAsync(ct);
        mailer.Wake();
    }

    /// <summary>Whether the link would sign someone in now (for the GET's page); changes nothing.</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken ct)
    {
        if (Hash(token) is not { } hash)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        return await db.EditorSignInLinks.AnyAsync(l => l.TokenHash == hash && l.UsedAt == null && l.ExpiresAt > now, ct);
    }

    /// <summary>Uses the link: the editor it signs in (address, name), or null when it is unknown, used or expired.</summary>
    public async Task<(string Email, string? Name)?> UseAsync(string? token, CancellationToken ct)
    {
        if (Hash(token) is not { } hash)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var used = await db.EditorSignInLinks.Where(l => l.TokenHash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now), ct);
        if (used != 1)
        {
            return null;
        }

        var editor = await db.EditorSignInLinks.Where(l => l.TokenHash == hash)
            .Join(db.Editors, l => l.EditorId, e => e.Id, (l, e) => new { e.Email, e.Name })
            .SingleOrDefaultAsync(ct);
        return editor is null ? null : (editor.Email, editor.Name);
    }

    /// <summary>A fresh token: 32 random bytes, base64url.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Hash(string? token) =>
        string.IsNullOrEmpty(token) || token.Length > 100 ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
