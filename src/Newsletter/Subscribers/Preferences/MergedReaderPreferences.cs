using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers.Preferences;

/// <summary>A choice made through either row of one mailbox stands: the reader's own, else the duplicate's.</summary>
public sealed class MergedReaderPreferences : IReaderMerge
{
    public async Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken)
    {
        var preferences = db.Set<ReaderPreference>();
        if (await preferences.AnyAsync(p => p.SubscriberId == readerId, cancellationToken)
            || await preferences.AsNoTracking().Include(p => p.Topics).SingleOrDefaultAsync(p => p.SubscriberId == duplicateId, cancellationToken) is not { } chosen)
        {
            return;
        }

        preferences.Add(new ReaderPreference
        {
            SubscriberId = readerId,
            Frequency = chosen.Frequency,
            UpdatedAt = chosen.UpdatedAt,
            Topics = [.. chosen.Topics.Select(t => new ReaderTopic { SubscriberId = readerId, Topic = t.Topic })],
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
