using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// At start, after the migrations: every reader the <see cref="DepartureJournal"/> says left, and
/// whom the database shows as still pending or confirmed since before they left (a restore from a
/// backup made before they left), is stopped again, with their unsent mail skipped. One who signed
/// up or confirmed again after leaving stays; a complaint is final, as everywhere.
/// </summary>
public sealed class DepartureReplay(IServiceScopeFactory scopes, ILogger<DepartureReplay> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => ReplayAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns how many readers were stopped again.</summary>
    public async Task<int> ReplayAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        if (DepartureJournal.PathFor(db) is not { } path)
        {
            return 0;
        }

        // The latest departure of each address decides; a complaint outranks a later unsubscribe.
        var latest = (await DepartureJournal.ReadAsync(path, cancellationToken))
            .GroupBy(d => EmailAddress.KeyOf(d.Email), StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(d => d.Status == SubscriberStatus.Complained) ?? g.MaxBy(d => d.At)!)
            .ToList();

        // The journal itself is left out: what it replays is in it already.
        var others = scope.ServiceProvider.GetServices<IReaderDepartures>().Where(d => d is not DepartureJournal).ToList();
        var stopped = 0;
        foreach (var batch in latest.Chunk(500))
        {
            // A journal written before keys were canonical names an address in its older form.
            var keys = batch.Select(d => EmailAddress.KeyOf(d.Email)).ToList();
            var readers = await db.Subscribers.AsNoTracking()
                .Where(s => keys.Contains(s.EmailKey) && s.Status != SubscriberStatus.Complained)
                .Select(s => new { s.Id, s.EmailKey, s.Status, s.ConfirmedAt, s.ConsentAt })
                .ToListAsync(cancellationToken);
            var byKey = readers.ToDictionary(r => r.EmailKey, StringComparer.Ordinal);
            foreach (var departure in batch)
            {
                if (!byKey.TryGetValue(EmailAddress.KeyOf(departure.Email), out var reader))
                {
                    continue;
                }

                var cameBack = departure.Status != SubscriberStatus.Complained
                    && (reader.ConfirmedAt > departure.At || reader.ConsentAt > departure.At);
                if (cameBack || reader.Status == departure.Status)
                {
                    continue;
                }

                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (await SubscriberStatusChanges.StopAsync(db, reader.Id, departure.Status,
                    $"from the departures journal ({departure.Status} at {departure.At:u}), after a restore", departure.At, others, cancellationToken))
                {
                    stopped++;
                }

                await transaction.CommitAsync(cancellationToken);
            }
        }

        if (stopped > 0)
        {
            logger.LogWarning("Departures journal {Path}: {Count} readers who had left were pending or confirmed again (a restore from a backup?); stopped them again",
                path, stopped);
        }

        return stopped;
    }
}
