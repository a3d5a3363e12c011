using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;

namespace Newsletter.Digests.Selections;

/// <summary>
/// What either row of one mailbox was carried stays carried for the reader that stays, so no
/// comparison reaches the mailbox twice; where both rows had one, the reader's own entry stays.
/// Both rows' marks (<see cref="SettledReader"/>) go: the reader that stays may now have an earlier
/// consent and another choice, and without a mark the next issue judges their whole history.
/// </summary>
public sealed class MergedReaderLedger : IReaderMerge
{
    public async Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync(
            "DELETE FROM ReaderLedger WHERE SubscriberId = {0} AND ComparisonId IN (SELECT ComparisonId FROM ReaderLedger WHERE SubscriberId = {1})",
            [duplicateId, readerId], cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE ReaderLedger SET SubscriberId = {1} WHERE SubscriberId = {0}", [duplicateId, readerId], cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "DELETE FROM SettledReaders WHERE SubscriberId IN ({0}, {1})", [duplicateId, readerId], cancellationToken);
    }
}
