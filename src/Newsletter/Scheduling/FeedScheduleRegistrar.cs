using Newsletter.Comparisons;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>
/// Puts the feed poll in Quartz at start: once now, then on Sources:Feed:Schedule (UTC). A missed
/// poll is not caught up (the next one reads the same feed); with no Sources:Feed:Url, no job.
/// </summary>
public sealed class FeedScheduleRegistrar(ISchedulerFactory schedulers, FeedPoller poller, ILogger<FeedScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (!poller.IsConfigured)
        {
            await scheduler.DeleteJob(FeedPollJob.Key, cancellationToken);
            return;
        }

        var job = JobBuilder.Create<FeedPollJob>().WithIdentity(FeedPollJob.Key).StoreDurably().Build();
        var atStart = TriggerBuilder.Create()
            .WithIdentity("comparison-feed-at-start", "newsletter")
            .ForJob(FeedPollJob.Key)
            .StartNow()
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        var onSchedule = TriggerBuilder.Create()
            .WithIdentity("comparison-feed", "newsletter")
            .ForJob(FeedPollJob.Key)
            .WithSchedule(CronScheduleBuilder.Create(poller.Schedule)
                .InTimeZone(TimeZoneInfo.Utc)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await scheduler.ScheduleJob(job, [atStart, onSchedule], ScheduleJobOptions.Replacing, cancellationToken);
        logger.LogInformation("Feed poll scheduled: now, then {Schedule} (UTC)", poller.Schedule);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
