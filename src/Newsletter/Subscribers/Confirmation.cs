using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

public enum ConfirmOutcome
{
    Confirmed,
    /// <summary>A real link, but older than Subscribers:ConfirmationTokenHours.</summary>
    Expired,
    /// <summary>Used already, replaced by a newer link, voided by an unsubscribe, tampered or made up.</summary>
    Invalid,
}

public sealed record ConfirmResult(ConfirmOutcome Outcome, string? Email = null);

/// <summary>GET /confirm's rule: a known, unexpired link confirms once, then stops working.</summary>
public sealed class Confirmation(NewsletterDbContext db, TimeProvider clock, ILogger<Confirmation> logger)
{
    public async Task<ConfirmResult> ConfirmAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.LooksValid(token))
        {
            return new ConfirmResult(ConfirmOutcome.Invalid);
        }

        var hash = SubscriberTokens.Hash(token!);
        var subscriber = await db.Subscribers.SingleOrDefaultAsync(s => s.ConfirmTokenHash == hash, cancellationToken);
        if (subscriber is null || subscriber.Status != SubscriberStatus.Pending)
        {
            return new ConfirmResult(ConfirmOutcome.Invalid);
        }

        var now = clock.GetUtcNow();
        if (subscriber.ConfirmTokenExpiresAt is not { } expires || expires <= now)
        {
            return new ConfirmResult(ConfirmOutcome.Expired);
        }

        subscriber.ChangeStatus(SubscriberStatus.Confirmed, now);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Subscriber {SubscriberId} confirmed", subscriber.Id);
        Telemetry.NewsletterMetrics.Confirmed();
        return new ConfirmResult(ConfirmOutcome.Confirmed, subscriber.Email);
    }
}
