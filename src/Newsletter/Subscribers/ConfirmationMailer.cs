using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail;

namespace Newsletter.Subscribers;

/// <summary>
/// Sends the confirmation mails that are due, oldest first, one at a time (they are few, and POST
/// /subscribe never waits for them: an SMTP round trip would tell who is subscribed). Each try
/// makes a fresh link, stores its hash, then sends. A failed try (refused, stalled, down) is retried
/// with backoff from Subscribers:ConfirmationRetrySeconds, doubling to at most an hour, up to
/// <see cref="MaxAttempts"/> tries; only a mail the server took counts for the resend block. A stop
/// leaves the mail due, and it goes out after the restart; a crash, once its claim has run out.
/// <para>
/// Several instances may run this on one database: each mail is claimed first with one guarded
/// UPDATE that moves its due time <see cref="ClaimFor"/> ahead (only one instance's UPDATE finds it
/// still due), so no two instances send the same confirmation. A crashed instance's claim runs out
/// and another sends the mail.
/// </para>
/// </summary>
public sealed class ConfirmationMailer(
    ConfirmationOutbox outbox,
    ConfirmationMail mail,
    IMailSender sender,
    IServiceScopeFactory scopes,
    IOptions<SubscribersOptions> options,
    TimeProvider clock,
    ILogger<ConfirmationMailer> logger) : BackgroundService
{
    public const int MaxAttempts = 12;
    private const int Batch = 100;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>How long a claimed mail belongs to the instance sending it: well past an SMTP timeout (60 s).</summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    wait = await SendDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database itself failed (full, read-only, locked): the mails stay due.
                    logger.LogError(e, "Could not read or record confirmation mails; trying again shortly");
                    wait = Retry(1);
                }

                await outbox.WaitAsync(wait, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a mail not yet sent stays due in the database and goes after the restart.
        }
    }

    /// <summary>Sends every mail due now; returns how long until the next one is due.</summary>
    private async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            List<long> due;
            DateTimeOffset? next;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
                var owed = db.Subscribers.Where(s => s.Status == SubscriberStatus.Pending && s.ConfirmationMailDueAt != null)
                    .OrderBy(s => s.ConfirmationMailDueAt).ThenBy(s => s.Id);
                due = await owed.Where(s => s.ConfirmationMailDueAt <= now).Select(s => s.Id).Take(Batch).ToListAsync(cancellationToken);
                next = due.Count > 0 ? null : await owed.Select(s => s.ConfirmationMailDueAt).FirstOrDefaultAsync(cancellationToken);
            }

            if (due.Count == 0)
            {
                return next is { } at ? Clamp(at - now) : Idle;
            }

            foreach (var id in due)
            {
                await SendOneAsync(id, cancellationToken);
            }
        }
    }

    private async Task SendOneAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();

        // The claim: only one instance finds the mail still due and moves it ahead.
        var now = clock.GetUtcNow();
        var claimed = await db.Subscribers
            .Where(s => s.Id == id && s.Status == SubscriberStatus.Pending && s.ConfirmationMailDueAt != null && s.ConfirmationMailDueAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmationMailDueAt, now + ClaimFor), cancellationToken);
        var subscriber = claimed == 1 ? await db.Subscribers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) : null;
        if (subscriber is not { Status: SubscriberStatus.Pending, ConfirmationMailDueAt: not null })
        {
            return;
        }

        // The link works from the moment the mail may arrive: store its hash first.
        var token = SubscriberTokens.New();
        subscriber.StartConfirmation(SubscriberTokens.Hash(token), clock.GetUtcNow().AddHours(options.Value.ConfirmationTokenHours));
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            await sender.SendAsync(mail.Build(subscriber, token), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the mail is due again at once, for whichever instance runs next.
            subscriber.ConfirmationMailDueAt = now;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            subscriber.ConfirmationMailAttempts++;
            if (subscriber.ConfirmationMailAttempts >= MaxAttempts)
            {
                // No resend block either: the reader can ask again through the form.
                subscriber.ConfirmationMailDueAt = null;
                logger.LogError(e, "Confirmation mail to subscriber {SubscriberId} failed {Attempts} times; giving up", id, subscriber.ConfirmationMailAttempts);
            }
            else
            {
                var retry = Retry(subscriber.ConfirmationMailAttempts);
                subscriber.ConfirmationMailDueAt = clock.GetUtcNow() + retry;
                logger.LogWarning(e, "Confirmation mail to subscriber {SubscriberId} failed (try {Attempts}); next try in {Retry}", id, subscriber.ConfirmationMailAttempts, retry);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }

        subscriber.ConfirmationSentAt = clock.GetUtcNow();
        subscriber.ConfirmationMailDueAt = null;
        subscriber.ConfirmationMailAttempts = 0;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Confirmation mail sent to subscriber {SubscriberId}", id);
    }

    /// <summary>The wait before try <paramref name="attempt"/> + 1: the configured first wait, doubling, at most an hour.</summary>
    private TimeSpan Retry(int attempt) =>
        Clamp(TimeSpan.FromSeconds(options.Value.ConfirmationRetrySeconds * Math.Pow(2, Math.Min(attempt - 1, 16))), MaxBackoff);

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan? max = null) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > (max ?? Idle) ? max ?? Idle : wait;
}
