using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Clicks;

/// <summary>A link of an issue with its reader clicks (scanner bursts left out) and unique readers.</summary>
public sealed record LinkClicks(string Url, int Clicks, int UniqueReaders);

/// <summary>Clicks per link of an issue, for GET /api/digests/{number}.</summary>
public sealed class IssueClicks(NewsletterDbContext db, ClickBuffer queue)
{
    /// <summary>The counts including every click this process has answered so far (its queue is written first).</summary>
    public async Task<IReadOnlyList<LinkClicks>> ForIssueAsync(long issueId, CancellationToken cancellationToken)
    {
        await queue.FlushAsync(cancellationToken);
        var clicks = db.Set<Click>().Where(c => c.IssueId == issueId && !c.Scanner);
        var rows = await db.Set<IssueLink>().AsNoTracking()
            .Where(l => l.IssueId == issueId)
            .OrderBy(l => l.Id)
            .Select(l => new
            {
                l.Url,
                Clicks = clicks.Count(c => c.LinkId == l.Id),
                Unique = clicks.Where(c => c.LinkId == l.Id && c.ReaderHash != null).Select(c => c.ReaderHash).Distinct().Count(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new LinkClicks(r.Url, r.Clicks, r.Unique))];
    }

    /// <summary>
    /// Of these readers (id and unsubscribe token), the ones who clicked one of the issue's tracked
    /// links (scanner bursts left out): a subject test's answers. Matched by their hash under the
    /// issue's salt, or by id where Tracking:Individual recorded it; none once the salt is dropped.
    /// </summary>
    public async Task<HashSet<long>> ReadersWhoClickedAsync(long issueId, IReadOnlyCollection<(long Id, string Token)> readers, CancellationToken cancellationToken)
    {
        await queue.FlushAsync(cancellationToken);
        var clicks = db.Set<Click>().AsNoTracking().Where(c => c.IssueId == issueId && !c.Scanner);
        var hashes = (await clicks.Where(c => c.ReaderHash != null).Select(c => c.ReaderHash!).Distinct().ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var ids = (await clicks.Where(c => c.SubscriberId != null).Select(c => c.SubscriberId!.Value).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        var salt = await db.Set<IssueClickSalt>().AsNoTracking().Where(s => s.IssueId == issueId).Select(s => s.Salt).SingleOrDefaultAsync(cancellationToken);
        return [.. readers.Where(r => ids.Contains(r.Id) || (salt is not null && hashes.Contains(ClickRecorder.ReaderHashOf(salt, r.Token)))).Select(r => r.Id)];
    }
}
