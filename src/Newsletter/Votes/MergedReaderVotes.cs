using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Votes;

/// <summary>One mailbox, one vote per tool: where both rows voted on the same tool, the later vote stays, as a later vote replaces an earlier one.</summary>
public sealed class MergedReaderVotes : IReaderMerge
{
    public async Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken)
    {
        var votes = await db.Set<Vote>().AsNoTracking()
            .Where(v => v.SubscriberId == duplicateId || v.SubscriberId == readerId)
            .Select(v => new { v.Id, v.ComparisonId, v.Tool, v.VotedAt })
            .ToListAsync(cancellationToken);
        var replaced = votes.GroupBy(v => (v.ComparisonId, v.Tool))
            .SelectMany(g => g.OrderByDescending(v => v.VotedAt).Skip(1))
            .Select(v => v.Id)
            .ToList();
        await db.Set<Vote>().Where(v => replaced.Contains(v.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<Vote>().Where(v => v.SubscriberId == duplicateId)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.SubscriberId, readerId), cancellationToken);
    }
}
