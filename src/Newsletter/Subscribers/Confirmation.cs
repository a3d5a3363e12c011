using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;

namespace Newsletter.Subscribers;

public enum ConfirmOutcome
{
    /// <summary>GET /confirm: a real, unexpired link, waiting for the reader's button.</summary>
    Ready,
    Confirmed,
    /// <summary>A real link, but older than Subscribers:ConfirmationTokenHours.</summary>
    Expired,
    /// <summary>Used already, replaced by a newer link, voided by an unsubscribe, tampered or made up.</summary>
    Invalid,
}

public sealed record ConfirmResult(ConfirmOutcome Outcome, string? Email = null);

/// <summary>Who pressed the confirm button: kept with the consent.</summary>
public sealed record ConfirmRequest(string? Ip, string? UserAgent);

/// <summary>
/// The confirmation rule: a known, unexpired link confirms once, then stops working. Only the POST
/// of the page's button confirms (<see cref="ConfirmAsync"/>): mail link scanners (Safe Links,
/// Proofpoint, Mimecast) open every link of a mail, so a GET (<see cref="FindAsync"/>) must change
/// nothing, or a scanner would confirm an address someone else typed into the form.
/// </summary>
public sealed class Confirmation(
    NewsletterDbContext db, ConfirmationMailer mailer, IOptions<SubscribersOptions> options, TimeProvider clock, ILogger<Confirmation> logger)
{
    public const int MaxUserAgentLength = 500;

    /// <summary>For GET /confirm: whether the link would confirm. Reads only.</summary>
    public async Task<ConfirmResult> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var subscriber = await LookUpAsync(token, tracked: false, cancellationToken);
        return Check(subscriber) is { } refused ? refused : new ConfirmResult(ConfirmOutcome.Ready, Unsubscription.Mask(subscriber!.Email));
    }

    /// <summary>For POST /confirm: confirms, keeps who confirmed, and owes the welcome mail.</summary>
    public async Task<ConfirmResult> ConfirmAsync(string? token, ConfirmRequest request, CancellationToken cancellationToken)
    {
        var subscriber = await LookUpAsync(token, tracked: true, cancellationToken);
        if (Check(subscriber) is { } refused)
        {
            return refused;
        }

        // Two POSTs of one link at once (a double click, a retried request) confirm once: the first
        // to take the link voids it under the row's write lock, and the other finds nothing to take.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hash = subscriber!.ConfirmTokenHash;
        var taken = await db.Subscribers
            .Where(s => s.Id == subscriber.Id && s.Status == SubscriberStatus.Pending && s.ConfirmTokenHash == hash)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmTokenHash, (string?)null), cancellationToken);
        if (taken == 0)
        {
            return new ConfirmResult(ConfirmOutcome.Invalid);
        }

        var now = clock.GetUtcNow();
        subscriber.ChangeStatus(SubscriberStatus.Confirmed, now);
        subscriber.ConfirmedIp = request.Ip;
        subscriber.ConfirmedUserAgent = OneLine(request.UserAgent);
        var welcome = options.Value.WelcomeMail;
        if (welcome)
        {
            subscriber.WelcomeMailDueAt = now;
            subscriber.WelcomeMailAttempts = 0;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Subscriber {SubscriberId} confirmed", subscriber.Id);
        Telemetry.NewsletterMetrics.Confirmed();
        if (welcome)
        {
            mailer.Wake();
        }

        return new ConfirmResult(ConfirmOutcome.Confirmed, subscriber.Email);
    }

    private ConfirmResult? Check(Subscriber? subscriber)
    {
        if (subscriber is null || subscriber.Status != SubscriberStatus.Pending)
        {
            return new ConfirmResult(ConfirmOutcome.Invalid);
        }

        return subscriber.ConfirmTokenExpiresAt is not { } expires || expires <= clock.GetUtcNow()
            ? new ConfirmResult(ConfirmOutcome.Expired)
            : null;
    }

    private async Task<Subscriber?> LookUpAsync(string? token, bool tracked, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.LooksValid(token))
        {
            return null;
        }

        var hash = SubscriberTokens.Hash(token!);
        var subscribers = tracked ? db.Subscribers : db.Subscribers.AsNoTracking();
        return await subscribers.SingleOrDefaultAsync(s => s.ConfirmTokenHash == hash, cancellationToken);
    }

    /// <summary>A header value as one line of at most <see cref="MaxUserAgentLength"/> characters; blank is none.</summary>
    private static string? OneLine(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var line = string.Concat(value.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        return line.Length > MaxUserAgentLength ? line[..MaxUserAgentLength] : line;
    }
}
