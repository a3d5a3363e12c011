using System.Threading.Channels;
using System.Threading.RateLimiting;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// One connection's loop: takes claimed deliveries (each reader's status looked at again just before
/// the mail goes out, <see cref="RecipientRecheck"/>), builds the mail, waits for the rate limit,
/// sends it through its own messenger, and hands the outcome to the policy and the recorder. Before
/// sending a mail it waits until the record of its mail before last is durable: a kill repeats at
/// most two mails of this connection.
/// <para>
/// Each connection is a thread of its own that blocks, on MailKit's blocking calls above all. A
/// mail is a few round trips of small writes and reads; awaiting each one hands the connection
/// from the socket's event thread to the thread pool and back, and on two cores that wake-up traffic
/// made MailKit's exchange cost nearly twice the CPU of blocking calls (the benchmark README has the
/// figures). A blocked read wakes its own thread and nothing else, as smtplib does. For the same
/// reason the mail is built on this thread too, not ahead on the pool: the other connections keep
/// the cores busy meanwhile.
/// </para>
/// </summary>
internal sealed class SendWorker(
    PreparedDigest digest, DigestMails mails, IMessengerFactory messengers, IDeliveryQueue queue,
    OutcomePolicy policy, OutcomeRecorder recorder, RateLimiter? limiter, int connections) : IDisposable
{
    /// <summary>How many run this loop at once, each over its own connection.</summary>
    public int Connections => connections;

    /// <summary>The run's rate limiter ends with the run.</summary>
    public void Dispose() => limiter?.Dispose();

    public async Task RunAsync(ChannelReader<ClaimedDelivery> work, CancellationTokenSource hard, CancellationToken stopping)
    {
        try
        {
            await Task.Factory.StartNew(
                () => SendAll(work, hard.Token, stopping), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken connection stops the run: the claimer must not wait for it.
            await hard.CancelAsync();
            throw;
        }
    }

    private void SendAll(ChannelReader<ClaimedDelivery> work, CancellationToken hard, CancellationToken stopping)
    {
        using var messenger = messengers.Create();
        var lastRecorded = Task.CompletedTask;
        var beforeLastRecorded = Task.CompletedTask;
        var deliveries = RecipientRecheck.ReadAsync(work, queue, connections, hard).GetAsyncEnumerator(hard);
        try
        {
            while (Wait(deliveries.MoveNextAsync()))
            {
                var delivery = deliveries.Current;
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
                    Acquire(limiter, hard);
                }

                recorder.WaitDurable(beforeLastRecorded);
                var ticket = policy.StartTicket();
                var outcome = messenger.Send(message, mails.EnvelopeSender(message), hard);
                beforeLastRecorded = lastRecorded;
                lastRecorded = recorder.Add(policy.Decide(delivery, outcome, ticket));
            }
        }
        finally
        {
            Wait(deliveries.DisposeAsync());
        }

        // A failed commit surfaces here rather than being lost with the task.
        recorder.WaitDurable(beforeLastRecorded);
        recorder.WaitDurable(lastRecorded);
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

    private static void Acquire(RateLimiter limiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var lease = Wait(limiter.AcquireAsync(1, cancellationToken));
            if (lease.IsAcquired)
            {
                return;
            }
        }
    }

    /// <summary>Waits on the connection's own thread, which has nothing else to do meanwhile.</summary>
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
