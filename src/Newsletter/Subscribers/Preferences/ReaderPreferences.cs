using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Subscribers.Preferences;

/// <summary>A topic as the preference page lists it: its key, its most used spelling, how many published comparisons carry it, whether the reader picked it.</summary>
public sealed record TopicChoice(string Key, string Name, int Comparisons, bool Picked);

/// <summary>What the preference page shows a reader.</summary>
public sealed record PreferencesView(string MaskedEmail, string? Name, ReadingFrequency Frequency, bool AllTopics, IReadOnlyList<TopicChoice> Topics);

/// <summary>What the preference form posts.</summary>
public sealed record PreferencesForm(string? Name, string? Frequency, IReadOnlyList<string> Topics);

/// <summary>
/// A reader's own choices, found by the per-reader token of their digest links (the unsubscribe
/// token). Reading changes nothing; saving writes the reader's name, frequency and topics. What an
/// issue then carries to them is Digests/Selections' business: a change applies from the next issue
/// made, never to one already made.
/// </summary>
public sealed class ReaderPreferences(NewsletterDbContext db, TimeProvider clock, ILogger<ReaderPreferences> logger)
{
    public const int MaxNameLength = 200;

    public async Task<PreferencesView?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var subscriber = await LookUpAsync(token, cancellationToken);
        if (subscriber is null)
        {
            return null;
        }

        var preference = await db.Set<ReaderPreference>().AsNoTracking().Include(p => p.Topics)
            .SingleOrDefaultAsync(p => p.SubscriberId == subscriber.Id, cancellationToken);
        var picked = preference?.Topics.Select(t => t.Topic).ToHashSet(StringComparer.Ordinal) ?? [];
        var topics = (await AvailableTopicsAsync(cancellationToken))
            .Select(t => t with { Picked = picked.Contains(t.Key) })

            // A picked topic no published comparison carries any more still shows, so it can be unpicked.
            .Concat(picked.Where(p => !string.IsNullOrEmpty(p)).Select(p => new TopicChoice(p, p, 0, true)))
            .DistinctBy(t => t.Key)
            .ToList();
        return new PreferencesView(
            Unsubscription.Mask(subscriber.Email), subscriber.Name, preference?.Frequency ?? ReadingFrequency.Weekly, picked.Count == 0, topics);
    }

    /// <summary>Saves the form; null when the token is unknown, an error message when the form is wrong (nothing saved).</summary>
    public async Task<(PreferencesView? View, string? Error)> SaveAsync(string? token, PreferencesForm form, CancellationToken cancellationToken)
    {
        var subscriber = await LookUpAsync(token, cancellationToken);
        if (subscriber is null)
        {
            return (null, null);
        }

        if (!Enum.TryParse<ReadingFrequency>(form.Frequency, ignoreCase: true, out var frequency) || !Enum.IsDefined(frequency))
        {
            return (await FindAsync(token, cancellationToken), "Please choose weekly or monthly.");
        }

        var name = string.IsNullOrWhiteSpace(form.Name) ? null : form.Name.Trim();
        if (name is { Length: > MaxNameLength })
        {
            return (await FindAsync(token, cancellationToken), $"Your name can be at most {MaxNameLength} characters.");
        }

        // Only topics that exist (or that the reader already had) can be picked: a forged form adds no junk rows.
        var known = (await AvailableTopicsAsync(cancellationToken)).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var preference = await db.Set<ReaderPreference>().Include(p => p.Topics).SingleOrDefaultAsync(p => p.SubscriberId == subscriber.Id, cancellationToken);
        known.UnionWith(preference?.Topics.Select(t => t.Topic) ?? []);
        var topics = form.Topics.Select(TopicKeys.Key).OfType<string>().Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();

        if (preference is null)
        {
            preference = new ReaderPreference { SubscriberId = subscriber.Id };
            db.Add(preference);
        }

        preference.Frequency = frequency;
        preference.UpdatedAt = clock.GetUtcNow();
        preference.Topics.RemoveAll(t => !topics.Contains(t.Topic));
        preference.Topics.AddRange(topics.Where(t => preference.Topics.All(p => p.Topic != t)).Select(t => new ReaderTopic { SubscriberId = subscriber.Id, Topic = t }));
        subscriber.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Subscriber {SubscriberId} chose {Frequency} and {Topics} topics", subscriber.Id, frequency, topics.Count == 0 ? "all" : topics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (await FindAsync(token, cancellationToken), null);
    }

    /// <summary>The tool categories of published comparisons, each with how many comparisons carry it, most common first.</summary>
    public async Task<IReadOnlyList<TopicChoice>> AvailableTopicsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var comparisons = await db.Comparisons.AsNoTracking().Where(c => c.PublishedAt <= now).Select(c => c.Tools).ToListAsync(cancellationToken);
        return comparisons
            .SelectMany(tools => tools.Where(t => TopicKeys.Key(t.Category) is not null)
                .GroupBy(t => TopicKeys.Key(t.Category)!)
                .Select(g => (Key: g.Key, Spelling: g.First().Category!.Trim())))
            .GroupBy(t => t.Key)
            .Select(g => new TopicChoice(g.Key, g.GroupBy(t => t.Spelling).OrderByDescending(s => s.Count()).First().Key, g.Count(), false))
            .OrderByDescending(t => t.Comparisons).ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private async Task<Subscriber?> LookUpAsync(string? token, CancellationToken cancellationToken) =>
        SubscriberTokens.LooksValid(token)
            ? await db.Subscribers.SingleOrDefaultAsync(s => s.UnsubscribeToken == token && s.Status == SubscriberStatus.Confirmed, cancellationToken)
            : null;
}
