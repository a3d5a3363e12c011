using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>Who an unsubscribe link belongs to, as the page shows it.</summary>
public sealed record UnsubscribeTarget(string MaskedEmail, bool AlreadyUnsubscribed);

/// <summary>
/// The unsubscribe rule: the clear-text token from a digest's links finds the subscriber; a POST
/// unsubscribes at once (the delivery engine checks the status before each mail goes out).
/// </summary>
public sealed class Unsubscription(NewsletterDbContext db, TimeProvider clock, ILogger<Unsubscription> logger)
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
            subscriber.ChangeStatus(SubscriberStatus.Unsubscribed, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Subscriber {SubscriberId} unsubscribed", subscriber.Id);
        }

        return new UnsubscribeTarget(Mask(subscriber.Email), true);
    }

    /// <summary>"r•••@example.com": enough for the reader to recognise, little for anyone the mail was forwarded to.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? email : email[..1] + "\u2022\u2022\u2022" + email[at..];
    }

    private async Task<Subscriber?> LookUpAsync(string? token, CancellationToken cancellationToken) =>
        SubscriberTokens.LooksValid(token)
            ? await db.Subscribers.SingleOrDefaultAsync(s => s.UnsubscribeToken == token, cancellationToken)
            : null;
}
