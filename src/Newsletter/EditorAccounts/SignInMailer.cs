using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Mail;

namespace Newsletter.EditorAccounts;

/// <summary>
/// Sends the sign-in mails that are due, the way confirmations go (Subscribers' ConfirmationMailer):
/// the queue is the database, each mail is claimed with one guarded UPDATE (one instance sends it),
/// the token is made at send time and only its hash stored, a failed try is retried with backoff
/// until the link would have expired anyway. POST /admin/signin/mail never waits for SMTP, so its
/// answer and its timing say nothing about whether the address is an editor's.
/// </summary>
public sealed class SignInMailer(
    SignInOutbox outbox, SignInMail mail, IMailSender sender, IServiceScopeFactory scopes, TimeProvider clock, ILogger<SignInMailer> logger)
    : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(10);

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
                    logger.LogError(e, "Could not read or record sign-in mails; trying again shortly");
                    wait = FirstRetry;
                }

                await outbox.WaitAsync(wait, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a mail not yet sent stays due and goes after the restart (if still in time).
        }
    }

    private async Task<TimeSpan> SendDueAsync(CancellationToken ct)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            List<long> due;
            DateTimeOffset? next;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
                var owed = db.EditorSignInLinks.Where(l => l.MailDueAt != null && l.UsedAt == null && l.ExpiresAt > now);
                due = await owed.Where(l => l.MailDueAt <= now).OrderBy(l => l.MailDueAt).Select(l => l.Id).Take(20).ToListAsync(ct);
                next = due.Count > 0 ? null : await owed.OrderBy(l => l.MailDueAt).Select(l => l.MailDueAt).FirstOrDefaultAsync(ct);
            }

            if (due.Count == 0)
            {
                var wait = next is { } at ? at - now : Idle;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Idle ? Idle : wait;
            }

            foreach (var id in due)
            {
                await SendOneAsync(id, ct);
            }
        }
    }

    private async Task SendOneAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var now = clock.GetUtcNow();
        var claimed = await db.EditorSignInLinks
            .Where(l => l.Id == id && l.MailDueAt != null && l.MailDueAt <= now && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.MailDueAt, now + ClaimFor), ct);
        var link = claimed == 1 ? await db.EditorSignInLinks.SingleOrDefaultAsync(l => l.Id == id, ct) : null;
        var editor = link is null ? null : await db.Editors.AsNoTracking().SingleOrDefaultAsync(e => e.Id == link.EditorId, ct);
        if (link is null || editor is null)
        {
            return;
        }

        // The link works from the moment the mail may arrive: its hash is stored first.
        var token = SignInLinks.NewToken();
        link.TokenHash = SignInLinks.Hash(token);
        await db.SaveChangesAsync(ct);
        try
        {
            await sender.SendAsync(mail.Build(editor.Email, editor.Name, token), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            link.MailDueAt = now;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            link.MailAttempts++;
            var retry = FirstRetry * Math.Pow(2, Math.Min(link.MailAttempts - 1, 8));
            var at = clock.GetUtcNow() + retry;

            // A mail that could only arrive after its link expired is not worth sending: the editor asks again.
            link.MailDueAt = at < link.ExpiresAt ? at : null;
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogWarning(e, "Sign-in mail for editor {EditorId} failed (try {Attempts}); {Next}",
                editor.Id, link.MailAttempts, link.MailDueAt is null ? "giving up: the link expires first" : $"next try in {retry}");
            return;
        }

        link.MailDueAt = null;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Sign-in mail sent to editor {EditorId}", editor.Id);
    }
}
