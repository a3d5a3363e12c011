using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Newsletter.Data;
using Newsletter.Mail;

namespace Newsletter.Subscribers;

/// <summary>A confirmation mail waiting to go out, with what identifies the link it carries.</summary>
public sealed record ConfirmationMailJob(long SubscriberId, string TokenHash, MimeMessage Message);

/// <summary>
/// Confirmation mails leave the request: POST /subscribe answers at once and in the same time
/// whether or not a mail goes out (an SMTP round trip would tell who is subscribed), and an SMTP
/// failure never reaches the reader's page. One sender drains the queue in order.
/// </summary>
public sealed class ConfirmationOutbox
{
    private readonly Channel<ConfirmationMailJob> _channel =
        Channel.CreateBounded<ConfirmationMailJob>(new BoundedChannelOptions(10_000) { SingleReader = true });

    public bool TryEnqueue(ConfirmationMailJob job) => _channel.Writer.TryWrite(job);

    public ChannelReader<ConfirmationMailJob> Reader => _channel.Reader;
}

/// <summary>
/// Sends the queued confirmation mails. When a mail cannot be sent, the address's resend throttle
/// is lifted (ConfirmationSentAt cleared) so that the reader can simply submit the form again.
/// </summary>
public sealed class ConfirmationMailer(
    ConfirmationOutbox queue, IMailSender sender, IServiceScopeFactory scopes, ILogger<ConfirmationMailer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a mail still queued is not sent; the reader can submit the form again.
        }
    }

    private async Task SendAsync(ConfirmationMailJob job, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(job.Message, cancellationToken);
            logger.LogInformation("Confirmation mail sent to subscriber {SubscriberId}", job.SubscriberId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Confirmation mail to subscriber {SubscriberId} failed; the address may ask again at once", job.SubscriberId);
            await ReleaseThrottleAsync(job, cancellationToken);
        }
    }

    private async Task ReleaseThrottleAsync(ConfirmationMailJob job, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
            await db.Subscribers
                .Where(s => s.Id == job.SubscriberId && s.ConfirmTokenHash == job.TokenHash)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmationSentAt, (DateTimeOffset?)null), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not lift the resend throttle of subscriber {SubscriberId}", job.SubscriberId);
        }
    }
}
