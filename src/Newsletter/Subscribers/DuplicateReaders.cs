using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// At start, after the migrations: rows kept under an address key of an older form (before
/// <see cref="EmailAddress.KeyOf"/> folded IDNA and Unicode forms: bücher.example and
/// xn--bcher-kva.example were two readers) get the canonical key, and rows that are then one
/// mailbox become one reader, so that a mailbox never gets an issue twice. The lowest id stays
/// (its links are the oldest in circulation); every feature moves its rows to it
/// (<see cref="IReaderMerge"/>); the duplicate's unsubscribe token keeps working
/// (<see cref="MergedToken"/>).
/// Only keys with a non-ASCII character can differ from their canonical form (an ASCII address's
/// old key, lowercased, is already canonical), so a start on a settled list reads nothing else.
/// </summary>
public sealed class DuplicateReaders(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DuplicateReaders> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => MergeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns how many duplicate rows were merged away.</summary>
    public async Task<int> MergeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var merges = scope.ServiceProvider.GetServices<IReaderMerge>().ToList();
        var departures = scope.ServiceProvider.GetServices<IReaderDepartures>().ToList();

        var nonAscii = "SELECT * FROM Subscribers WHERE " + db.Database.HasNonAscii("EmailKey");
        var stale = (await db.Subscribers.FromSqlRaw(nonAscii)
                .AsNoTracking().Select(s => new { s.Id, s.Email, s.EmailKey }).ToListAsync(cancellationToken))
            .Select(s => (s.Id, Key: EmailAddress.KeyOf(s.Email), Old: s.EmailKey))
            .Where(s => s.Key != s.Old)
            .ToList();
        var merged = 0;
        foreach (var key in stale.Select(s => s.Key).Distinct(StringComparer.Ordinal))
        {
            var ids = stale.Where(s => s.Key == key).Select(s => s.Id).ToList();
            merged += await MergeOneAsync(db, key, ids, merges, departures, cancellationToken);
        }

        if (stale.Count > 0)
        {
            logger.LogInformation("Address keys brought to their canonical form: {Keys} keys, {Merged} duplicate readers merged", stale.Count, merged);
        }

        return merged;
    }

    private async Task<int> MergeOneAsync(
        NewsletterDbContext db, string key, IReadOnlyList<long> staleIds, IReadOnlyList<IReaderMerge> merges,
        IReadOnlyList<IReaderDepartures> departures, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.TakeTurnAsync("duplicate-readers", cancellationToken);
        db.ChangeTracker.Clear();
        var rows = await db.Subscribers.Where(s => s.EmailKey == key || staleIds.Contains(s.Id)).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var reader = rows[0];
        var wasConfirmed = reader.Status == SubscriberStatus.Confirmed;
        var now = clock.GetUtcNow();
        foreach (var duplicate in rows.Skip(1))
        {
            foreach (var merge in merges)
            {
                await merge.MergeAsync(db, duplicate.Id, reader.Id, cancellationToken);
            }

            Absorb(reader, duplicate);
            db.MergedTokens.Add(new MergedToken { Token = duplicate.UnsubscribeToken, SubscriberId = reader.Id, MergedAt = now });
            await db.MergedTokens.Where(t => t.SubscriberId == duplicate.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.SubscriberId, reader.Id), cancellationToken);
            await db.Subscribers.Where(s => s.Id == duplicate.Id).ExecuteDeleteAsync(cancellationToken);
            db.Entry(duplicate).State = EntityState.Detached;
            logger.LogInformation("Subscriber {Duplicate} merged into {Subscriber}: the same mailbox in another form", duplicate.Id, reader.Id);
        }

        reader.EmailKey = key;
        await db.SaveChangesAsync(cancellationToken);
        if (wasConfirmed && reader.Status != SubscriberStatus.Confirmed)
        {
            await SubscriberStatusChanges.LeftConfirmedAsync(db, [reader.Id], departures, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows.Count - 1;
    }

    /// <summary>
    /// What the mailbox said through either row stands: the status that stops the most mail wins
    /// (a complaint, a bounce, an unsubscribe; then confirmed over pending) with its time and reason;
    /// the consent is the earliest given; a name is kept when only the duplicate had one.
    /// </summary>
    private static void Absorb(Subscriber reader, Subscriber duplicate)
    {
        if (Strength(duplicate.Status) > Strength(reader.Status))
        {
            reader.Status = duplicate.Status;
            reader.StoppedReason = duplicate.StoppedReason;
            reader.ConfirmTokenHash = duplicate.Status == SubscriberStatus.Pending ? duplicate.ConfirmTokenHash : null;
            reader.ConfirmTokenExpiresAt = duplicate.Status == SubscriberStatus.Pending ? duplicate.ConfirmTokenExpiresAt : null;
        }

        if (reader.Status != SubscriberStatus.Pending)
        {
            reader.ConfirmTokenHash = null;
            reader.ConfirmTokenExpiresAt = null;
            reader.ConfirmationMailDueAt = null;
        }

        reader.ConfirmedAt = Earliest(reader.ConfirmedAt, duplicate.ConfirmedAt);
        reader.UnsubscribedAt ??= duplicate.UnsubscribedAt;
        reader.BouncedAt ??= duplicate.BouncedAt;
        reader.ComplainedAt ??= duplicate.ComplainedAt;
        if (duplicate.ConsentAt is { } consent && (reader.ConsentAt is null || consent < reader.ConsentAt))
        {
            reader.ConsentAt = consent;
            reader.ConsentIp = duplicate.ConsentIp;
            reader.ConsentSource = duplicate.ConsentSource;
        }

        reader.Name ??= duplicate.Name;
        reader.CreatedAt = Earliest(reader.CreatedAt, duplicate.CreatedAt)!.Value;
    }

    private static int Strength(SubscriberStatus status) => status switch
    {
        SubscriberStatus.Complained => 4,
        SubscriberStatus.Bounced => 3,
        SubscriberStatus.Unsubscribed => 2,
        SubscriberStatus.Confirmed => 1,
        _ => 0,
    };

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
