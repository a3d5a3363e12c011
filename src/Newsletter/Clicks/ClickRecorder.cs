using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Links;
using Newsletter.Subscribers;

namespace Newsletter.Clicks;

/// <summary>Where a tracked link goes, or null for a link this server did not make.</summary>
public sealed record ClickTarget(long LinkId, long IssueId, string Url, string UnsubscribeToken);

/// <summary>Resolves /r/… tokens and records reader clicks by the rules of <see cref="ScannerRule"/>.</summary>
public sealed class ClickRecorder(
    NewsletterDbContext db, LinkKeys keys, IIssueRecipients recipients, IOptions<TrackingOptions> options, TimeProvider clock)
{
    public async Task<ClickTarget?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (ClickToken.Read(await keys.GetAsync(cancellationToken), token) is not { } read)
        {
            return null;
        }

        var link = await db.Set<IssueLink>().AsNoTracking().SingleOrDefaultAsync(l => l.Id == read.LinkId, cancellationToken);
        return link is null ? null : new ClickTarget(link.Id, link.IssueId, link.Url, read.UnsubscribeToken);
    }

    /// <summary>
    /// Records a GET from a reader's browser (the caller has ruled out HEAD and scanner agents), when
    /// the reader part belongs to a reader the issue was sent to; false when it does not.
    /// </summary>
    public async Task<bool> RecordAsync(ClickTarget target, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reader = await db.Subscribers.Where(s => s.UnsubscribeToken == target.UnsubscribeToken)
            .Select(s => (long?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (reader is not { } readerId || !await recipients.WasSentAsync(db, target.IssueId, readerId, cancellationToken))
        {
            return false;
        }

        var salt = await db.Set<IssueClickSalt>().AsNoTracking()
            .Where(s => s.IssueId == target.IssueId).Select(s => s.Salt).SingleOrDefaultAsync(cancellationToken);
        var hash = salt is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(target.UnsubscribeToken)))[..32];
        long? subscriberId = options.Value.Individual ? readerId : null;

        var clicks = db.Set<Click>();
        clicks.Add(new Click { IssueId = target.IssueId, LinkId = target.LinkId, ReaderHash = hash, SubscriberId = subscriberId, ClickedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        if (hash is null)
        {
            return true;
        }

        // The burst rule: this mail's requests within the window of this one, this one included.
        var since = now - options.Value.ScannerBurst;
        var burst = clicks.Where(c => c.IssueId == target.IssueId && c.ReaderHash == hash && c.ClickedAt >= since);
        if (await burst.CountAsync(cancellationToken) > 1)
        {
            await burst.ExecuteUpdateAsync(u => u.SetProperty(c => c.Scanner, true), cancellationToken);
        }

        return true;
    }
}
