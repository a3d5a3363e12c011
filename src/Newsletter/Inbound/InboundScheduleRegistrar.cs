using Microsoft.Extensions.Options;
using Quartz;

namespace Newsletter.Inbound;

/// <summary>
/// Puts the mailbox check's trigger (Inbound:Schedule) in Quartz's store at start, as
/// DigestScheduleRegistrar does for the digest: kept when unchanged, replaced when the cron changed,
/// removed when Inbound:Host is empty. A missed check is not caught up: the next one reads everything.
/// </summary>
public sealed class InboundScheduleRegistrar(
    ISchedulerFactory schedulers, IOptions<InboundOptions> options, ILogger<InboundScheduleRegistrar> logger) : IHostedService
{
    public static readonly TriggerKey TriggerKey = new("inbound-mailbox", "newsletter");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var o = options.Value;
        if (!o.Enabled)
        {
            if (await scheduler.Exists(InboundJob.Key, cancellationToken))
            {
                await scheduler.DeleteJob(InboundJob.Key, cancellationToken);
            }

            return;
        }

        var stored = await scheduler.GetTrigger(TriggerKey, cancellationToken) as ICronTrigger;
        if (stored is not null && stored.CronExpressionString == o.Schedule && await scheduler.Exists(InboundJob.Key, cancellationToken))
        {
            return;
        }

        var job = JobBuilder.Create<InboundJob>().WithIdentity(InboundJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKey)
            .ForJob(InboundJob.Key)
            .WithSchedule(CronScheduleBuilder.Create(o.Schedule).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        logger.LogInformation("Inbound mailbox {Host} checked on {Schedule}", o.Host, o.Schedule);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
