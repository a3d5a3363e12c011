using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers.Preferences;

/// <summary>The confirmed readers' choices in numbers, for the console: how often, every topic or some, and each topic's readers.</summary>
public sealed record ChoiceCounts(int Weekly, int Monthly, int EveryTopic, IReadOnlyList<(string Topic, int Readers)> Topics);

/// <summary>One reader's choices as the console shows them.</summary>
public sealed record ReaderChoices(ReadingFrequency Frequency, IReadOnlyList<string> Topics);

/// <summary>What editors see of readers' choices (counted in SQL, nothing list-sized is loaded).</summary>
public sealed class ReaderChoiceCounts(NewsletterDbContext db)
{
    public async Task<ChoiceCounts> CountAsync(CancellationToken cancellationToken)
    {
        var confirmed = db.Subscribers.Where(s => s.Status == SubscriberStatus.Confirmed).Select(s => s.Id);
        var total = await confirmed.CountAsync(cancellationToken);
        var preferences = db.Set<ReaderPreference>().Where(p => confirmed.Contains(p.SubscriberId));
        var monthly = await preferences.CountAsync(p => p.Frequency == ReadingFrequency.Monthly, cancellationToken);
        var picked = await preferences.CountAsync(p => p.Topics.Any(), cancellationToken);
        var topics = await db.Set<ReaderTopic>().Where(t => confirmed.Contains(t.SubscriberId))
            .GroupBy(t => t.Topic).Select(g => new { Topic = g.Key, Readers = g.Count() })
            .OrderByDescending(t => t.Readers).ThenBy(t => t.Topic).ToListAsync(cancellationToken);
        return new ChoiceCounts(total - monthly, monthly, total - picked, [.. topics.Select(t => (t.Topic, t.Readers))]);
    }

    public async Task<ReaderChoices> ForAsync(long subscriberId, CancellationToken cancellationToken)
    {
        var preference = await db.Set<ReaderPreference>().AsNoTracking().Include(p => p.Topics)
            .SingleOrDefaultAsync(p => p.SubscriberId == subscriberId, cancellationToken);
        return new ReaderChoices(preference?.Frequency ?? ReadingFrequency.Weekly, [.. (preference?.Topics ?? []).Select(t => t.Topic).Order(StringComparer.Ordinal)]);
    }
}
