using Newsletter.Delivery;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>
/// The weekly digest, as Quartz fires it: makes the issue of the fire's slot (once, however often
/// the slot fires) and wakes the delivery engine, which sends it. The send itself is not the job's:
/// it outlives a restart, and the engine resumes it on its own.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestJob(IssueMaker maker, SendSlots slots, DeliveryEngine engine, ILogger<DigestJob> logger) : IJob
{
    public static readonly JobKey Key = new("weekly-digest", "newsletter");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        // The occurrence this fire stands for, also when it is a misfire caught up after a restart.
        var slot = slots.ForTime(context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        var made = await maker.MakeAsync(slot, cancellationToken);
        if (made.Issue is null)
        {
            logger.LogInformation("Scheduled digest for slot {Slot}: nothing new to send", slot);
            return;
        }

        if (!made.Created)
        {
            logger.LogInformation("Scheduled digest for slot {Slot}: issue #{Number} already exists", slot, made.Issue.Number);
        }

        engine.Wake();
    }
}
