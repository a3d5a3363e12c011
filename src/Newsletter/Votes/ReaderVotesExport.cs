using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

/// <summary>A reader's own votes, for the download of what we hold about them.</summary>
public sealed class ReaderVotesExport : IReaderDataExport
{
    public string Part => "votes";

    public async Task<object> ExportAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken)
    {
        var votes = await db.Set<Vote>().AsNoTracking().Where(v => v.SubscriberId == subscriberId)
            .Join(db.Comparisons, v => v.ComparisonId, c => c.Id, (v, c) => new { c.Slug, c.Title, v.Tool, v.Ship, v.VotedAt })
            .ToListAsync(cancellationToken);
        return votes.OrderBy(v => v.VotedAt).Select(v => new
        {
            Comparison = v.Slug,
            ComparisonTitle = v.Title,
            v.Tool,
            Vote = v.Ship ? "ship" : "skip",
            v.VotedAt,
        }).ToList();
    }
}
