using System.Threading.Channels;

namespace Newsletter.Mail.Outbox;

/// <summary>
/// Sends the mails of its backlogs (<see cref="IMailBacklog"/>) that are due, the longest due first, one
/// at a time: they are few, and the request that queued one never waits for SMTP (an SMTP round trip
/// in the answer would tell who is subscribed, or who is an editor). The queue is the database, so a
/// mail survives a restart and a refusing or stalled server. Each mail is claimed first, so two
/// instances never send the same one and a crashed instance's claim runs out for another to send it.
/// A failed try goes again by its backlog's <see cref="RetrySchedule"/>; a stop leaves the mail due.
/// <see cref="Wake"/> tells the mailer a mail is due now, so it need not wait for its next look.
/// </summary>
public abstract class OutboxMailer(IMailSender sender, IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    private readonly Channel<bool> _bell =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>The backlogs this mailer serves, in one line: a mail owed earlier goes earlier, whichever kind it is.</summary>
    protected abstract IReadOnlyList<IMailBacklog> Backlogs { get; }

    /// <summary>Rings the bell; several rings before the mailer looks are one.</summary>
    public void Wake() => _bell.Writer.TryWrite(true);

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
                    logger.LogError(e, "Could not read or record queued mails ({Kinds}); trying again shortly", string.Join(", ", Backlogs.Select(b => b.Kind)));
                    wait = Clamp(Backlogs.Min(b => b.Retry.First));
                }

                await WaitAsync(wait, stoppingToken);
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
            List<DueMail> due = [];
            DateTimeOffset? next = null;
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var backlog in Backlogs)
                {
                    due.AddRange(await backlog.DueAsync(scope.ServiceProvider, now, Batch, cancellationToken));
                }

                due = [.. due.OrderBy(m => m.DueAt).ThenBy(m => m.Id).Take(Batch)];
                if (due.Count == 0)
                {
                    foreach (var backlog in Backlogs)
                    {
                        if (await backlog.NextDueAsync(scope.ServiceProvider, cancellationToken) is { } at && (next is null || at < next))
                        {
                            next = at;
                        }
                    }
                }
            }

            if (due.Count == 0)
            {
                return next is { } at ? Clamp(at - now) : Idle;
            }

            foreach (var mail in due)
            {
                await SendOneAsync(mail, cancellationToken);
            }
        }
    }

    private async Task SendOneAsync(DueMail due, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var backlog = due.Backlog;
        var now = clock.GetUtcNow();
        if (await backlog.ClaimAsync(scope.ServiceProvider, due.Id, now, now + backlog.ClaimFor, cancellationToken) is not { } mail)
        {
            return;
        }

        try
        {
            await sender.SendAsync(await mail.BuildAsync(cancellationToken), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the mail is due again at once, for whichever instance runs next.
            await mail.ReleaseAsync(now);
            throw;
        }
        catch (Exception e)
        {
            var attempts = mail.Attempts + 1;
            var retry = backlog.Retry.After(attempts);
            var at = clock.GetUtcNow() + retry;
            if (attempts >= backlog.Retry.MaxAttempts || (mail.Deadline is { } deadline && at >= deadline))
            {
                await mail.FailedAsync(null);
                logger.LogError(e, "{Kind} mail to {Recipient} failed (try {Attempts}); giving up", backlog.Kind, mail.Recipient, attempts);
            }
            else
            {
                await mail.FailedAsync(at);
                logger.LogWarning(e, "{Kind} mail to {Recipient} failed (try {Attempts}); next try in {Retry}", backlog.Kind, mail.Recipient, attempts, retry);
            }

            return;
        }

        await mail.SentAsync(clock.GetUtcNow());
        logger.LogInformation("{Kind} mail sent to {Recipient}", backlog.Kind, mail.Recipient);
    }

    /// <summary>Waits for a ring or for <paramref name="timeout"/>, whichever comes first.</summary>
    private async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _bell.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time to look for mails whose retry is due.
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Idle ? Idle : wait;
}
