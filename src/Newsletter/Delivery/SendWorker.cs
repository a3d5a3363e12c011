using System.Threading.Channels;
using System.Threading.RateLimiting;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// One connection's loop: takes claimed deliveries (each reader's status looked at again just before
/// the mail goes out), builds the mail, waits for the rate limit, sends it through its own messenger,
/// and hands the outcome to the policy and the recorder. Before sending a mail it waits until the
/// record of its mail before last is durable: a kill repeats at most two mails of this connection.
/// </summary>
internal sealed class SendWorker(
    PreparedDigest digest, DigestMails mails, IMessengerFactory messengers, IDeliveryQueue queue,
    OutcomePolicy policy, OutcomeRecorder recorder, RateLimiter? limiter, int connections)
{
    public async Task RunAsync(ChannelReader<ClaimedDelivery> work, CancellationTokenSource hard, CancellationToken stopping)
    {
        try
        {
            await SendAllAsync(work, hard.Token, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken connection stops the run: the claimer must not wait for it.
            await hard.CancelAsync();
            throw;
        }
    }

    private async Task SendAllAsync(ChannelReader<ClaimedDelivery> work, CancellationToken hard, CancellationToken stopping)
    {
        await using var messenger = messengers.Create();
        var lastRecorded = Task.CompletedTask;
        var beforeLastRecorded = Task.CompletedTask;
        await foreach (var delivery in RecipientRecheck.ReadAsync(work, queue, connections, hard))
        {
            if (stopping.IsCancellationRequested || policy.PauseReason is not null)
            {
                // Not sent: back to the queue as it was, no attempt spent.
                _ = recorder.Add([OutcomePolicy.Unsent(delivery)]);
                continue;
            }

            if (!delivery.IsDeliverable)
            {
                _ = recorder.Add([new DeliveryRecord(delivery.Id, DeliveryStatus.Skipped, delivery.Attempts, null, null)]);
                continue;
            }

            MimeMessage message;
            try
            {
                message = mails.Build(digest, delivery);
            }
            catch (Exception e) when (e is ParseException or ArgumentException or FormatException)
            {
                _ = recorder.Add([new DeliveryRecord(delivery.Id, DeliveryStatus.Failed, delivery.Attempts + 1, null, "Could not build the mail: " + e.Message)]);
                continue;
            }

            if (limiter is not null)
            {
                await AcquireAsync(limiter, hard);
            }

            await recorder.Durable(beforeLastRecorded);
            var ticket = policy.StartTicket();
            var outcome = await messenger.SendAsync(message, mails.EnvelopeSender(message), hard);
            beforeLastRecorded = lastRecorded;
            lastRecorded = recorder.Add(policy.Decide(delivery, outcome, ticket));
        }

        // A failed commit surfaces here rather than being lost with the task.
        await Task.WhenAll(recorder.Durable(beforeLastRecorded), recorder.Durable(lastRecorded));
    }

    /// <summary>Smtp:MaxMessagesPerSecond as a token bucket refilled ten times a second (smoother than a burst once a second).</summary>
    public static TokenBucketRateLimiter? CreateLimiter(int perSecond)
    {
        if (perSecond <= 0)
        {
            return null;
        }

        var perPeriod = Math.Max(1, perSecond / 10);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)perPeriod / perSecond),
            QueueLimit = 1024,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private static async Task AcquireAsync(RateLimiter limiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            if (lease.IsAcquired)
            {
                return;
            }
        }
    }
}
