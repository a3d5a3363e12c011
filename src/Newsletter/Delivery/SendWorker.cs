using System.Threading.Channels;
using System.Threading.RateLimiting;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// One connection's loop, in two parts that overlap: a builder takes claimed deliveries (each
/// reader's status looked at again just before, <see cref="RecipientRecheck"/>) and builds their
/// mails one ahead; the sender waits for the rate limit, sends each mail through its own messenger,
/// and hands the outcome to the policy and the recorder. So the next mail is built (and signed)
/// while this one is on the wire. Before sending a mail the sender waits until the record of its
/// mail before last is durable: a kill repeats at most two mails of this connection.
/// </summary>
internal sealed class SendWorker(
    PreparedDigest digest, DigestMails mails, IMessengerFactory messengers, IDeliveryQueue queue,
    OutcomePolicy policy, OutcomeRecorder recorder, RateLimiter? limiter, int connections)
{
    /// <summary>A mail built and ready to go, with the delivery it is for.</summary>
    private readonly record struct BuiltMail(ClaimedDelivery Delivery, MimeMessage Message, MailboxAddress? EnvelopeSender);

    public async Task RunAsync(ChannelReader<ClaimedDelivery> work, CancellationTokenSource hard, CancellationToken stopping)
    {
        // While one mail is sent, at most two wait built (one in the channel, one in the builder's
        // hand): building further ahead would only widen the window between the recheck and the send.
        var built = Channel.CreateBounded<BuiltMail>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var building = Task.Run(() => BuildAllAsync(work, built.Writer, hard.Token, stopping), CancellationToken.None);
        try
        {
            await SendAllAsync(built.Reader, hard.Token, stopping);
            await building;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken connection stops the run: the claimer must not wait for it.
            await hard.CancelAsync();
            throw;
        }
        finally
        {
            // The builder's failure came through the channel; here the builder only has to have ended.
            await building.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task BuildAllAsync(ChannelReader<ClaimedDelivery> work, ChannelWriter<BuiltMail> built, CancellationToken hard, CancellationToken stopping)
    {
        try
        {
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

                await built.WriteAsync(new BuiltMail(delivery, message, mails.EnvelopeSender(message)), hard);
            }

            built.Complete();
        }
        catch (Exception e)
        {
            built.Complete(e);
            throw;
        }
    }

    private async Task SendAllAsync(ChannelReader<BuiltMail> built, CancellationToken hard, CancellationToken stopping)
    {
        await using var messenger = messengers.Create();
        var lastRecorded = Task.CompletedTask;
        var beforeLastRecorded = Task.CompletedTask;
        await foreach (var mail in built.ReadAllAsync(hard))
        {
            if (stopping.IsCancellationRequested || policy.PauseReason is not null)
            {
                // Built while the send was still on: not sent after all, back to the queue as it was.
                _ = recorder.Add([OutcomePolicy.Unsent(mail.Delivery)]);
                continue;
            }

            if (limiter is not null)
            {
                await AcquireAsync(limiter, hard);
            }

            await recorder.Durable(beforeLastRecorded);
            var ticket = policy.StartTicket();
            var outcome = await messenger.SendAsync(mail.Message, mail.EnvelopeSender, hard);
            beforeLastRecorded = lastRecorded;
            lastRecorded = recorder.Add(policy.Decide(mail.Delivery, outcome, ticket));
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
