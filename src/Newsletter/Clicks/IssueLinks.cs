using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Clicks;

/// <summary>Stores the link targets of an issue (once; a resumed send finds the same rows) and its reader salt.</summary>
public static class IssueLinks
{
    /// <summary>Each target's link id for the issue, adding those not stored yet.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> PrepareAsync(
        NewsletterDbContext db, long issueId, IEnumerable<string> urls, TrackingOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var links = db.Set<IssueLink>();
        var salts = db.Set<IssueClickSalt>();
        for (var attempt = 0; ; attempt++)
        {
            var stored = await links.AsNoTracking().Where(l => l.IssueId == issueId).ToDictionaryAsync(l => l.Url, l => l.Id, StringComparer.Ordinal, cancellationToken);
            var missing = urls.Distinct(StringComparer.Ordinal).Where(u => !stored.ContainsKey(u)).ToList();
            var hasSalt = await salts.AnyAsync(s => s.IssueId == issueId, cancellationToken);
            if (missing.Count == 0 && hasSalt)
            {
                return stored;
            }

            links.AddRange(missing.Select(u => new IssueLink { IssueId = issueId, Url = u }));
            if (!hasSalt)
            {
                salts.Add(new IssueClickSalt { IssueId = issueId, Salt = RandomNumberGenerator.GetBytes(32), CreatedAt = now });
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another instance stored them first; read theirs.
                db.ChangeTracker.Clear();
                continue;
            }

            // Salts older than the retention go now: from then on their hashes name nobody.
            var cutoff = now.AddDays(-options.ReaderSaltDays);
            await salts.Where(s => s.CreatedAt < cutoff && s.Salt != null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Salt, (byte[]?)null), cancellationToken);
        }
    }
}
