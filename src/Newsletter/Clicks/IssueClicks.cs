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
}
