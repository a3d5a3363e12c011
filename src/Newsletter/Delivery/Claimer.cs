using System.Threading.Channels;

namespace Newsletter.Delivery;

/// <summary>How a run of the engine over one issue ended.</summary>
public enum RunEnd
{
    /// <summary>Nothing is left queued or in flight.</summary>
    Completed,

    /// <summary>The SMTP server is unavailable or refuses everyone; the issue should pause.</summary>
    Paused,

    /// <summary>The host is stopping; what was claimed and not sent went back to the queue.</summary>
    Stopped,

    /// <summary>
    /// A subject test's sample is sent and the rest waits for the winner: the issue is paused until
    /// the wait ends (the time is in the database), holding no sender lease meanwhile.
    /// </summary>
    Waiting,
}

/// <summary>
/// Pages through an issue's queue in id order and feeds the connections: claims the next batch only
/// when at most one batch is unrecorded (so a run holds at most two batches), starts a new pass when
/// one ends (retries come due), and waits for the first retry when only retries are left.
/// </summary>
/// <remarks>
/// <paramref name="winner"/>: the subject test's winner the run's mails are built with (null: none
/// named when the run began), so the rest is claimed only by a run that knows its subject.
/// </remarks>
internal sealed class Claimer(IDeliveryQueue queue, OutcomeRecorder recorder, OutcomePolicy policy, TimeProvider clock, long issueId, int batchSize, string? winner = null)
{
    private static readonly TimeSpan Look = TimeSpan.FromMilliseconds(200);

    /// <summary>The most deliveries one claim takes: also how many wait for the connections.</summary>
    public int BatchSize => batchSize;

    public async Task<RunEnd> RunAsync(ChannelWriter<ClaimedDelivery> work, CancellationToken hard, CancellationToken stopping)
    {
        long after = 0;
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                return RunEnd.Stopped;
            }

            // An editor's pause on any instance is in the database: look before each batch.
            if (await queue.IsHeldAsync(issueId, hard))
            {
                policy.Hold();
            }

            if (policy.PauseReason is not null)
            {
                return RunEnd.Paused;
            }

            // Back-pressure: claim the next batch only when at most one batch is on its way (refusals
            // held by the policy wait for other mails' outcomes, so they do not count).
            while (recorder.Unrecorded - policy.HeldCount > batchSize && policy.PauseReason is null)
            {
                await recorder.WaitForCommitAsync(Look, now: false, hard);
            }

            var batch = await queue.ClaimAsync(issueId, after, batchSize, winner, hard);
            if (batch.Count > 0)
            {
                recorder.Expect(batch.Count);
                after = batch[^1].Id;
                foreach (var delivery in batch)
                {
                    await work.WriteAsync(delivery, hard);
                }

                continue;
            }

            if (after > 0)
            {
                // End of a pass in id order; the next pass picks up retries that have come due.
                after = 0;
                continue;
            }

            await UntilAllRecordedAsync(hard);
            if (policy.PauseReason is not null)
            {
                return RunEnd.Paused;
            }

            if (await queue.NextDueAsync(issueId, winner, hard) is not { } due)
            {
                return RunEnd.Completed;
            }

            // Only retries waiting for their time are left: sleep until the first is due (a second at most).
            var wait = due - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), clock, stopping)
                    .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Waits for every claimed delivery to be recorded; refusals still held then are settled (retries, or back to the queue when pausing).</summary>
    private async Task UntilAllRecordedAsync(CancellationToken hard)
    {
        while (recorder.Unrecorded > 0)
        {
            if (recorder.Unrecorded <= policy.HeldCount)
            {
                _ = recorder.Add(policy.PauseReason is null ? policy.SettleUnconfirmed() : policy.Drain());
            }

            await recorder.WaitForCommitAsync(Look, now: true, hard);
        }
    }
}
