using Microsoft.Extensions.Options;
using Newsletter.Digests;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>
/// Puts the weekly trigger (Digest:Schedule in Digest:TimeZone) in Quartz's persistent store at
/// start, but only when it is missing or its cron or zone changed: an unchanged trigger is kept as
/// stored, so a restart neither resets it nor loses a fire missed while the worker was down (which
/// Quartz then fires once, late, by the trigger's misfire instruction).
/// </summary>
public sealed class DigestScheduleRegistrar(
    ISchedulerFactory schedulers, IOptions<DigestOptions> options, ILogger<DigestScheduleRegistrar> logger) : IHostedService
{
    public static readonly TriggerKey TriggerKey = new("weekly-digest", "newsletter");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var schedule = options.Value;
        var zone = schedule.Zone;
        var stored = await scheduler.GetTrigger(TriggerKey, cancellationToken) as ICronTrigger;
        if (stored is not null && stored.CronExpressionString == schedule.Schedule && stored.TimeZone.Id == zone.Id
            && await scheduler.Exists(DigestJob.Key, cancellationToken))
        {
            logger.LogInformation("Digest schedule {Schedule} ({Zone}) kept; next fire {Next:u}",
                schedule.Schedule, zone.Id, stored.NextFireTimeUtc);
            return;
        }

        var job = JobBuilder.Create<DigestJob>().WithIdentity(DigestJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKey)
            .ForJob(DigestJob.Key)
            .WithSchedule(CronScheduleBuilder.Create(schedule.Schedule)
                .InTimeZone(zone)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        logger.LogInformation("Digest schedule set to {Schedule} ({Zone}); next fire {Next:u}",
            schedule.Schedule, zone.Id, trigger.GetFireTimeAfter(DateTimeOffset.UtcNow));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
