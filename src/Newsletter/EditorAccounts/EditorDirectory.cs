using Microsoft.EntityFrameworkCore;
using MimeKit;
using Newsletter.Data;
using Newsletter.Web;

namespace Newsletter.EditorAccounts;

/// <summary>An editor as the API, the console and the command show them.</summary>
public sealed record EditorView(string Email, string? Name, DateTimeOffset AddedAt);

/// <summary>What adding an editor came to.</summary>
public enum EditorAdded
{
    Added,
    AlreadyThere,
}

/// <summary>
/// The editors: list, add, remove. The one place an editor's address is checked and normalised, and
/// where removing an editor ends their sessions and their unused links. Each change is audited.
/// </summary>
public sealed class EditorDirectory(NewsletterDbContext db, EditorSessions sessions, IAuditLog audit, TimeProvider clock)
{
    public const int MaxName = 200;

    /// <summary>As long as EditorSessions.Editor holds (an address names its sessions).</summary>
    public const int MaxAddress = 200;

    public async Task<List<EditorView>> ListAsync(CancellationToken ct) =>
        (await db.Editors.AsNoTracking().ToListAsync(ct))
            .OrderBy(e => e.Email, StringComparer.Ordinal)
            .Select(e => new EditorView(e.Email, e.Name, e.AddedAt)).ToList();

    /// <summary>The address as stored (lower-case, no display name), or null with the reason.</summary>
    public static string? Normalise(string? address, out string? error)
    {
        error = null;
        var text = address?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "an address is required";
            return null;
        }

        if (!MailboxAddress.TryParse(text, out var parsed) || parsed.Address.IndexOf('@', StringComparison.Ordinal) is < 1 || parsed.Address.EndsWith('@')
            || text.Any(char.IsControl) || parsed.Address.Length > MaxAddress)
        {
            error = $"'{text}' is not a mail address";
            return null;
        }

        return parsed.Address.ToLowerInvariant();
    }

    /// <summary>Adds an editor; an address already there keeps its row (and gets the new name if one is given).</summary>
    public async Task<EditorAdded> AddAsync(string email, string? name, CancellationToken ct)
    {
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        var existing = await db.Editors.SingleOrDefaultAsync(e => e.Email == email, ct);
        if (existing is not null)
        {
            if (name is not null && name != existing.Name)
            {
                existing.Name = name;
                await db.SaveChangesAsync(ct);
                await audit.RecordAsync("Renamed an editor", email, cancellationToken: ct);
            }

            return EditorAdded.AlreadyThere;
        }

        db.Editors.Add(new Editor { Email = email, Name = name, AddedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Added at the same moment by another request or instance.
            db.ChangeTracker.Clear();
            return EditorAdded.AlreadyThere;
        }

        await audit.RecordAsync("Added an editor", email, cancellationToken: ct);
        return EditorAdded.Added;
    }

    /// <summary>Removes an editor, their unused links and their sessions; false when no such editor.</summary>
    public async Task<bool> RemoveAsync(string email, CancellationToken ct)
    {
        var ids = db.Editors.Where(e => e.Email == email).Select(e => e.Id);
        await db.EditorSignInLinks.Where(l => ids.Contains(l.EditorId)).ExecuteDeleteAsync(ct);
        var removed = await db.Editors.Where(e => e.Email == email).ExecuteDeleteAsync(ct) > 0;

        // Sessions are ended even when the row was gone already (removed by another instance a moment ago).
        var ended = await sessions.RevokeEditorAsync(email, ct);
        if (removed)
        {
            await audit.RecordAsync("Removed an editor", ended > 0 ? $"{email} ({ended} sessions ended)" : email, cancellationToken: ct);
        }

        return removed;
    }
}
