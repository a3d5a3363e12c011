using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// Unsubscribes by group commit (<see cref="GroupCommit{TRequest,TResult}"/>): the tokens of every
/// POST /unsubscribe waiting are looked up, their readers unsubscribed, the departures told (their
/// unsent mail skipped, the departures journal appended and flushed once for all of them) and the
/// whole committed in one transaction; only then is each answered. An answer of "You're
/// unsubscribed" therefore always means no further digest: the change is committed, and a mail
/// already claimed is checked again before it goes out.
/// </summary>
public sealed partial class UnsubscribeWriter(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UnsubscribeWriter> logger)
    : GroupCommit<string, UnsubscribeTarget?>(scopes, logger)
{
    protected override async Task<IReadOnlyList<UnsubscribeTarget?>> CommitAsync(IServiceProvider services, IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<NewsletterDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var found = await Unsubscription.LookUpAsync(db, batch, cancellationToken);
        var now = clock.GetUtcNow();
        var leaving = found.Values.DistinctBy(s => s.Id).Where(s => s.Status != SubscriberStatus.Unsubscribed).ToList();
        if (leaving.Count > 0)
        {
            // With the status, the mail not yet sent to them: queued deliveries of issues still
            // sending are skipped (one already claimed is checked again just before it goes out).
            leaving.ForEach(s => s.ChangeStatus(SubscriberStatus.Unsubscribed, now));
            await db.SaveChangesAsync(cancellationToken);
            var skipped = await SubscriberStatusChanges.LeftConfirmedAsync(
                db, [.. leaving.Select(s => s.Id)], services.GetServices<IReaderDepartures>(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogUnsubscribed(Logger, string.Join(", ", leaving.Select(s => s.Id)), skipped);
        }

        return [.. batch.Select(t => found.GetValueOrDefault(t) is { } s ? new UnsubscribeTarget(Unsubscription.Mask(s.Email), true) : null)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribers {SubscriberIds} unsubscribed ({Skipped} unsent mails skipped)")]
    private static partial void LogUnsubscribed(ILogger logger, string subscriberIds, int skipped);
}
