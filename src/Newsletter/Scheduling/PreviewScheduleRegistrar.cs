using Microsoft.Extensions.Options;
using Newsletter.Digests;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>
/// Puts the preview's trigger (<see cref="PreviewJob"/>) in Quartz's store at start, as the digest's
/// registrar does: kept when Digest:Schedule, TimeZone and PreviewBefore are unchanged (a missed fire
/// then comes late, once), replaced when one changed, removed when PreviewBefore is empty.
/// </summary>
public sealed class PreviewScheduleRegistrar(
    ISchedulerFactory schedulers, IOptions<DigestOptions> options, TimeProvider clock, ILogger<PreviewScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var digest = options.Value;
        if (digest.PreviewBefore is null)
        {
            if (await scheduler.Exists(PreviewJob.Key, cancellationToken))
            {
                await scheduler.DeleteJob(PreviewJob.Key, cancellationToken);
                logger.LogInformation("Digest:PreviewBefore is off: the scheduled preview is removed");
            }

            return;
        }

        var stored = await scheduler.GetTrigger(PreviewJob.TriggerKey, cancellationToken);
        if (stored is not null && PreviewJob.IsCurrent(stored, digest) && await scheduler.Exists(PreviewJob.Key, cancellationToken))
        {
            logger.LogInformation("Scheduled preview kept; next fire {Next:u}", stored.NextFireTimeUtc);
            return;
        }

        var trigger = PreviewJob.First(digest, clock.GetUtcNow());
        if (trigger is null)
        {
            logger.LogWarning("Digest:Schedule fires no more: no preview is scheduled");
            return;
        }

        var job = JobBuilder.Create<PreviewJob>().WithIdentity(PreviewJob.Key).StoreDurably().Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        logger.LogInformation("Preview scheduled {Before} before each send; next at {Next:u}", digest.PreviewBefore, trigger.StartTimeUtc);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
