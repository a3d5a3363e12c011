using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>Who an unsubscribe link belongs to, as the page shows it.</summary>
public sealed record UnsubscribeTarget(string MaskedEmail, bool AlreadyUnsubscribed);

/// <summary>
/// The unsubscribe rule: the clear-text token from a digest's links finds the subscriber; a POST
/// unsubscribes at once, and the mail not yet sent to them is skipped.
/// </summary>
public sealed class Unsubscription(
    NewsletterDbContext db, IEnumerable<IReaderDepartures> departures, TimeProvider clock, ILogger<Unsubscription> logger)
{
    /// <summary>For GET /unsubscribe: whose link this is. Changes nothing.</summary>
    public async Task<UnsubscribeTarget?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var subscriber = await LookUpAsync(token, cancellationToken);
        return subscriber is null ? null : new UnsubscribeTarget(Mask(subscriber.Email), subscriber.Status == SubscriberStatus.Unsubscribed);
    }

    /// <summary>Unsubscribes; null when the token is unknown. Repeating it is harmless.</summary>
    public async Task<UnsubscribeTarget?> UnsubscribeAsync(string? token, CancellationToken cancellationToken)
    {
        var subscriber = await LookUpAsync(token, cancellationToken);
        if (subscriber is null)
        {
            return null;
        }

        if (subscriber.Status != SubscriberStatus.Unsubscribed)
        {
            // With the status, the mail not yet sent to them: queued deliveries of issues still
            // sending are skipped (one already claimed is checked again just before it goes out).
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            subscriber.ChangeStatus(SubscriberStatus.Unsubscribed, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            var skipped = await SubscriberStatusChanges.LeftConfirmedAsync(db, [subscriber.Id], departures, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Subscriber {SubscriberId} unsubscribed ({Skipped} unsent mails skipped)", subscriber.Id, skipped);
        }

        return new UnsubscribeTarget(Mask(subscriber.Email), true);
    }

    /// <summary>"r•••@example.com": enough for the reader to recognise, little for anyone the mail was forwarded to.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? email : email[..1] + "\u2022\u2022\u2022" + email[at..];
    }

    /// <summary>The reader the token is theirs, or was a duplicate's merged into theirs.</summary>
    private async Task<Subscriber?> LookUpAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.LooksValid(token))
        {
            return null;
        }

        if (await db.Subscribers.SingleOrDefaultAsync(s => s.UnsubscribeToken == token, cancellationToken) is { } subscriber)
        {
            return subscriber;
        }

        var merged = await db.MergedTokens.Where(t => t.Token == token).Select(t => (long?)t.SubscriberId).SingleOrDefaultAsync(cancellationToken);
        return merged is null ? null : await db.Subscribers.SingleAsync(s => s.Id == merged, cancellationToken);
    }
}
