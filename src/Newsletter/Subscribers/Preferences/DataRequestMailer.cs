using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// Sends the one-time data links that are due, like <see cref="ConfirmationMailer"/> sends
/// confirmations: the database is the queue (<see cref="ReaderDataRequest.MailDueAt"/>), so a mail
/// survives a restart and a refusing server; each mail is claimed with a guarded UPDATE first, so two
/// instances never send the same one; each try makes a fresh token and stores only its hash before
/// sending. Failed tries back off from Subscribers:ConfirmationRetrySeconds, doubling to an hour, up
/// to <see cref="ConfirmationMailer.MaxAttempts"/> tries.
/// </summary>
public sealed class DataRequestMailer(
    DataRequestMail mail,
    IMailSender sender,
    IServiceScopeFactory scopes,
    IOptions<SubscribersOptions> options,
    TimeProvider clock,
    ILogger<DataRequestMailer> logger) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    private readonly Channel<bool> _bell =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Tells the mailer a link is due now, so it need not wait for its next look.</summary>
    public void Wake() => _bell.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SendDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database itself failed: the mails stay due.
                    logger.LogError(e, "Could not read or record data link mails; trying again shortly");
                }

                using var timer = new CancellationTokenSource(Idle, clock);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
                try
                {
                    await _bell.Reader.ReadAsync(either.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Time to look for retries that are due.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: an unsent mail stays due and goes after the restart.
        }
    }

    private async Task SendDueAsync(CancellationToken cancellationToken)
    {
        List<long> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
            var now = clock.GetUtcNow();
            due = await db.ReaderDataRequests.Where(r => r.MailDueAt != null && r.MailDueAt <= now)
                .OrderBy(r => r.MailDueAt).ThenBy(r => r.Id).Select(r => r.Id).Take(100).ToListAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            await SendOneAsync(id, cancellationToken);
        }
    }

    private async Task SendOneAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var now = clock.GetUtcNow();
        var claimed = await db.ReaderDataRequests.Where(r => r.Id == id && r.MailDueAt != null && r.MailDueAt <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.MailDueAt, now + ClaimFor), cancellationToken);
        var request = claimed == 1 ? await db.ReaderDataRequests.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) : null;
        var subscriber = request is null ? null : await db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == request.SubscriberId, cancellationToken);
        if (request is null || subscriber is null)
        {
            return;
        }

        try
        {
            // The link works from the moment the mail may arrive: store its hash first.
            var token = SubscriberTokens.New();
            request.TokenHash = SubscriberTokens.Hash(token);
            request.ExpiresAt = clock.GetUtcNow() + ReaderDataRequests.LinkLifetime;
            await db.SaveChangesAsync(cancellationToken);
            await sender.SendAsync(mail.Build(subscriber, request.Purpose, token), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            request.MailDueAt = now;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            request.MailAttempts++;
            if (request.MailAttempts >= ConfirmationMailer.MaxAttempts)
            {
                request.MailDueAt = null;
                logger.LogError(e, "{Purpose} link mail to subscriber {SubscriberId} failed {Attempts} times; giving up", request.Purpose, request.SubscriberId, request.MailAttempts);
            }
            else
            {
                var retry = TimeSpan.FromSeconds(Math.Min(options.Value.ConfirmationRetrySeconds * Math.Pow(2, Math.Min(request.MailAttempts - 1, 16)), 3600));
                request.MailDueAt = clock.GetUtcNow() + retry;
                logger.LogWarning(e, "{Purpose} link mail to subscriber {SubscriberId} failed (try {Attempts}); next try in {Retry}", request.Purpose, request.SubscriberId, request.MailAttempts, retry);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }

        request.MailDueAt = null;
        request.MailAttempts = 0;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("{Purpose} link mail sent to subscriber {SubscriberId}", request.Purpose, request.SubscriberId);
    }
}
