using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Clicks;

/// <summary>Where a tracked link goes, or null for a link this server did not make.</summary>
public sealed record ClickTarget(long LinkId, long IssueId, string Url, string UnsubscribeToken);

/// <summary>Writes queued reader clicks by the rules of <see cref="ScannerRule"/>, a batch at a time.</summary>
public sealed class ClickRecorder(NewsletterDbContext db, IIssueRecipients recipients, IOptions<TrackingOptions> options)
{
    /// <summary>A reader's key hashed under the issue's salt, as stored on their clicks (<see cref="Click.ReaderHash"/>).</summary>
    public static string ReaderHashOf(byte[] salt, string unsubscribeToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(unsubscribeToken)))[..32];

    /// <summary>
    /// Writes GETs from readers' browsers (the redirect has ruled out HEAD, scanner agents and
    /// clicks over the limits), in one transaction, counting only those whose reader part belongs
    /// to a reader the issue was sent to. Returns how many were written.
    /// </summary>
    public async Task<int> RecordAsync(IReadOnlyList<PendingClick> batch, CancellationToken cancellationToken)
    {
        var tokens = batch.Select(c => c.UnsubscribeToken).Distinct(StringComparer.Ordinal).ToList();
        var readers = await db.Subscribers.AsNoTracking().Where(s => tokens.Contains(s.UnsubscribeToken))
            .Select(s => new { s.Id, s.UnsubscribeToken }).ToDictionaryAsync(s => s.UnsubscribeToken, s => s.Id, StringComparer.Ordinal, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var scannerRows = new HashSet<long>();
        var written = 0;
        foreach (var issue in batch.GroupBy(c => c.IssueId))
        {
            var known = issue.Where(c => readers.ContainsKey(c.UnsubscribeToken)).ToList();
            var sent = await recipients.SentToAsync(db, issue.Key, [.. known.Select(c => readers[c.UnsubscribeToken]).Distinct()], cancellationToken);
            var counted = known.Where(c => sent.Contains(readers[c.UnsubscribeToken])).ToList();
            if (counted.Count == 0)
            {
                continue;
            }

            var salt = await db.Set<IssueClickSalt>().AsNoTracking()
                .Where(s => s.IssueId == issue.Key).Select(s => s.Salt).SingleOrDefaultAsync(cancellationToken);
            var rows = counted.Select(c => new Click
            {
                IssueId = c.IssueId,
                LinkId = c.LinkId,
                ReaderHash = salt is null ? null : ReaderHashOf(salt, c.UnsubscribeToken),
                SubscriberId = options.Value.Individual ? readers[c.UnsubscribeToken] : null,
                ClickedAt = c.ClickedAt,
            }).ToList();
            await MarkBurstsAsync(issue.Key, rows, scannerRows, cancellationToken);
            db.Set<Click>().AddRange(rows);
            written += rows.Count;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (scannerRows.Count > 0)
        {
            await db.Set<Click>().Where(c => scannerRows.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.Scanner, true), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return written;
    }

    /// <summary>
    /// The burst rule, as if the batch's clicks had come one at a time: a click with another of the
    /// same mail within Tracking:ScannerBurst before it (stored or in this batch) makes every one
    /// of that window a scanner's. Marks the new rows, and adds stored rows to mark to <paramref name="scannerRows"/>.
    /// </summary>
    private async Task MarkBurstsAsync(long issueId, List<Click> rows, HashSet<long> scannerRows, CancellationToken cancellationToken)
    {
        var hashes = rows.Where(r => r.ReaderHash is not null).Select(r => r.ReaderHash!).Distinct(StringComparer.Ordinal).ToList();
        if (hashes.Count == 0)
        {
            return;
        }

        var burst = options.Value.ScannerBurst;
        var since = rows.Min(r => r.ClickedAt) - burst;
        var stored = await db.Set<Click>().AsNoTracking()
            .Where(c => c.IssueId == issueId && hashes.Contains(c.ReaderHash!) && c.ClickedAt >= since)
            .Select(c => new { c.Id, c.ReaderHash, c.ClickedAt }).ToListAsync(cancellationToken);
        foreach (var mail in rows.Where(r => r.ReaderHash is not null).GroupBy(r => r.ReaderHash!, StringComparer.Ordinal))
        {
            var earlier = stored.Where(s => s.ReaderHash == mail.Key).ToList();
            var fresh = mail.ToList();
            for (var i = 0; i < fresh.Count; i++)
            {
                var at = fresh[i].ClickedAt;
                var from = at - burst;
                var window = earlier.Where(s => s.ClickedAt >= from && s.ClickedAt <= at).ToList();
                var freshWindow = fresh.Take(i + 1).Where(f => f.ClickedAt >= from).ToList();
                if (window.Count + freshWindow.Count > 1)
                {
                    scannerRows.UnionWith(window.Select(s => s.Id));
                    freshWindow.ForEach(f => f.Scanner = true);
                }
            }
        }
    }
}
