using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail;

namespace Newsletter.Subscribers;

/// <summary>
/// Sends the confirmation and welcome mails that are due, oldest first, one at a time (they are
/// few, and POST /subscribe and /confirm never wait for them: an SMTP round trip would tell who is
/// subscribed). Each confirmation try makes a fresh link, stores its hash, then sends; a welcome
/// (<see cref="IWelcomeMail"/>) is owed from the confirming POST on. A failed try (refused, stalled, down) is retried
/// with backoff from Subscribers:ConfirmationRetrySeconds, doubling to at most an hour, up to
/// <see cref="MaxAttempts"/> tries; only a mail the server took counts for the resend block. A stop
/// leaves the mail due, and it goes out after the restart; a crash, once its claim has run out.
/// <para>
/// Several instances may run this on one database: each mail is claimed first with one guarded
/// UPDATE that moves its due time <see cref="ClaimFor"/> ahead (only one instance's UPDATE finds it
/// still due), so no two instances send the same mail. A crashed instance's claim runs out
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

    /// <summary>Sends every mail due now, confirmations and welcomes alike, in the order they fell due; returns how long until the next one is due.</summary>
    private async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            List<(MailKind Kind, long Id, DateTimeOffset DueAt)> due;
            DateTimeOffset? next = null;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
                var confirmations = db.Subscribers.Where(s => s.Status == SubscriberStatus.Pending && s.ConfirmationMailDueAt != null);
                var welcomes = db.Subscribers.Where(s => s.Status == SubscriberStatus.Confirmed && s.WelcomeMailDueAt != null);
                var dueConfirmations = await confirmations.Where(s => s.ConfirmationMailDueAt <= now)
                    .OrderBy(s => s.ConfirmationMailDueAt).ThenBy(s => s.Id)
                    .Select(s => new { s.Id, DueAt = s.ConfirmationMailDueAt!.Value }).Take(Batch).ToListAsync(cancellationToken);
                var dueWelcomes = await welcomes.Where(s => s.WelcomeMailDueAt <= now)
                    .OrderBy(s => s.WelcomeMailDueAt).ThenBy(s => s.Id)
                    .Select(s => new { s.Id, DueAt = s.WelcomeMailDueAt!.Value }).Take(Batch).ToListAsync(cancellationToken);

                // One queue: a mail owed earlier goes earlier, whichever kind it is.
                due = [.. dueConfirmations.Select(m => (MailKind.Confirmation, m.Id, m.DueAt))
                    .Concat(dueWelcomes.Select(m => (MailKind.Welcome, m.Id, m.DueAt)))
                    .OrderBy(m => m.DueAt).ThenBy(m => m.Id).Take(Batch)];
                if (due.Count == 0)
                {
                    var nextConfirmation = await confirmations.OrderBy(s => s.ConfirmationMailDueAt).Select(s => s.ConfirmationMailDueAt).FirstOrDefaultAsync(cancellationToken);
                    var nextWelcome = await welcomes.OrderBy(s => s.WelcomeMailDueAt).Select(s => s.WelcomeMailDueAt).FirstOrDefaultAsync(cancellationToken);
                    next = nextConfirmation is { } c && (nextWelcome is not { } w || c <= w) ? c : nextWelcome;
                }
            }

            if (due.Count == 0)
            {
                return next is { } at ? Clamp(at - now) : Idle;
            }

            foreach (var (kind, id, _) in due)
            {
                await SendOneAsync(kind, id, cancellationToken);
            }
        }
    }

    private async Task SendOneAsync(MailKind kind, long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var queue = Queue.Of(kind);

        // The claim: only one instance finds the mail still due and moves it ahead.
        var now = clock.GetUtcNow();
        var owed = db.Subscribers.Where(s => s.Id == id);
        owed = kind == MailKind.Confirmation
            ? owed.Where(s => s.Status == SubscriberStatus.Pending && s.ConfirmationMailDueAt != null && s.ConfirmationMailDueAt <= now)
            : owed.Where(s => s.Status == SubscriberStatus.Confirmed && s.WelcomeMailDueAt != null && s.WelcomeMailDueAt <= now);
        var claimed = kind == MailKind.Confirmation
            ? await owed.ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmationMailDueAt, now + ClaimFor), cancellationToken)
            : await owed.ExecuteUpdateAsync(u => u.SetProperty(s => s.WelcomeMailDueAt, now + ClaimFor), cancellationToken);
        var subscriber = claimed == 1 ? await db.Subscribers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) : null;
        if (subscriber is null || subscriber.Status != queue.Status || queue.DueAt(subscriber) is null)
        {
            return;
        }

        try
        {
            MimeKit.MimeMessage message;
            if (kind == MailKind.Confirmation)
            {
                // The link works from the moment the mail may arrive: store its hash first.
                var token = SubscriberTokens.New();
                subscriber.StartConfirmation(SubscriberTokens.Hash(token), clock.GetUtcNow().AddHours(options.Value.ConfirmationTokenHours));
                await db.SaveChangesAsync(cancellationToken);
                message = mail.Build(subscriber, token);
            }
            else
            {
                message = await scope.ServiceProvider.GetRequiredService<IWelcomeMail>().BuildAsync(subscriber, cancellationToken);
            }

            await sender.SendAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the mail is due again at once, for whichever instance runs next.
            queue.SetDueAt(subscriber, now);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var attempts = queue.Failed(subscriber);
            if (attempts >= MaxAttempts)
            {
                // Given up. A confirmation sets no resend block either (the reader can ask again
                // through the form); a welcome is simply not sent.
                queue.SetDueAt(subscriber, null);
                logger.LogError(e, "{Kind} mail to subscriber {SubscriberId} failed {Attempts} times; giving up", kind, id, attempts);
            }
            else
            {
                var retry = Retry(attempts);
                queue.SetDueAt(subscriber, clock.GetUtcNow() + retry);
                logger.LogWarning(e, "{Kind} mail to subscriber {SubscriberId} failed (try {Attempts}); next try in {Retry}", kind, id, attempts, retry);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }

        queue.Sent(subscriber, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("{Kind} mail sent to subscriber {SubscriberId}", kind, id);
    }

    private enum MailKind
    {
        Confirmation,
        Welcome,
    }

    /// <summary>Where each kind keeps its place in the queue on the subscriber's row.</summary>
    private sealed record Queue(
        SubscriberStatus Status,
        Func<Subscriber, DateTimeOffset?> DueAt,
        Action<Subscriber, DateTimeOffset?> SetDueAt,
        Func<Subscriber, int> Failed,
        Action<Subscriber, DateTimeOffset> Sent)
    {
        private static readonly Queue Confirmations = new(
            SubscriberStatus.Pending,
            s => s.ConfirmationMailDueAt,
            (s, at) => s.ConfirmationMailDueAt = at,
            s => ++s.ConfirmationMailAttempts,
            (s, at) =>
            {
                // Only a mail the server took counts for the resend block.
                s.ConfirmationSentAt = at;
                s.ConfirmationMailDueAt = null;
                s.ConfirmationMailAttempts = 0;
            });

        private static readonly Queue Welcomes = new(
            SubscriberStatus.Confirmed,
            s => s.WelcomeMailDueAt,
            (s, at) => s.WelcomeMailDueAt = at,
            s => ++s.WelcomeMailAttempts,
            (s, _) =>
            {
                s.WelcomeMailDueAt = null;
                s.WelcomeMailAttempts = 0;
            });

        public static Queue Of(MailKind kind) => kind == MailKind.Confirmation ? Confirmations : Welcomes;
    }

    /// <summary>The wait before try <paramref name="attempt"/> + 1: the configured first wait, doubling, at most an hour.</summary>
    private TimeSpan Retry(int attempt) =>
        Clamp(TimeSpan.FromSeconds(options.Value.ConfirmationRetrySeconds * Math.Pow(2, Math.Min(attempt - 1, 16))), MaxBackoff);

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan? max = null) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > (max ?? Idle) ? max ?? Idle : wait;
}
