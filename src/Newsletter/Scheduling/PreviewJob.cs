using System.Globalization;
using Microsoft.Extensions.Options;
using Newsletter.Digests;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>
/// The preview that comes by itself (Digest:PreviewBefore): one simple trigger, set to that long
/// before the next scheduled send, that mails the editors the preview and then moves itself to the
/// next send. The trigger lives in Quartz's persistent store beside the digest's, so one node of a
/// cluster fires it, and a fire missed while the worker was down comes when it is back (the
/// preview is skipped then if the send time has passed). The slot's row makes it once in any case.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PreviewJob(ScheduledPreview preview, IOptions<DigestOptions> options, TimeProvider clock, ILogger<PreviewJob> logger) : IJob
{
    public static readonly JobKey Key = new("digest-preview", "newsletter");
    public static readonly TriggerKey TriggerKey = new("digest-preview", "newsletter");

    private const string SendsAtKey = "sendsAt";
    private const string ConfigKey = "config";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var sendsAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(context.Trigger.JobDataMap.GetString(SendsAtKey)!, CultureInfo.InvariantCulture));
        try
        {
            await preview.SendAsync(sendsAt, cancellationToken);
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
        {
            logger.LogError(e, "The preview for the send at {SendsAt:u} could not be mailed", sendsAt);
        }
        finally
        {
            // The same key: Quartz sees the trigger rescheduled within its job and keeps it.
            if (Next(options.Value, sendsAt, clock.GetUtcNow()) is { } next)
            {
                await context.Scheduler.RescheduleJob(TriggerKey, next, CancellationToken.None);
            }
        }
    }

    /// <summary>What the stored trigger was made from: a change of any of these replaces it at start.</summary>
    public static string Config(DigestOptions o) => $"{o.Schedule}|{o.TimeZone}|{o.PreviewBefore?.ToString("c", CultureInfo.InvariantCulture)}";

    public static bool IsCurrent(ITrigger trigger, DigestOptions o) =>
        trigger.JobDataMap.ContainsKey(ConfigKey) && trigger.JobDataMap.GetString(ConfigKey) == Config(o);

    /// <summary>The first send whose preview time is not before <paramref name="now"/>.</summary>
    public static ITrigger? First(DigestOptions o, DateTimeOffset now) =>
        o.PreviewBefore is { } before ? At(o, new CronExpression(o.Schedule, o.Zone).GetNextValidTimeAfter(now + before - TimeSpan.FromSeconds(1))) : null;

    /// <summary>The send after <paramref name="sendsAt"/>, with a preview time not before <paramref name="now"/> if it can.</summary>
    private static ITrigger? Next(DigestOptions o, DateTimeOffset sendsAt, DateTimeOffset now)
    {
        if (o.PreviewBefore is not { } before)
        {
            return null;
        }

        var cron = new CronExpression(o.Schedule, o.Zone);
        var after = sendsAt > now + before ? sendsAt : now + before - TimeSpan.FromSeconds(1);
        return At(o, cron.GetNextValidTimeAfter(after));
    }

    private static ITrigger? At(DigestOptions o, DateTimeOffset? sendsAt) =>
        sendsAt is not { } at ? null : TriggerBuilder.Create()
            .WithIdentity(TriggerKey)
            .ForJob(Key)
            .UsingJobData(SendsAtKey, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .UsingJobData(ConfigKey, Config(o))
            .StartAt(at - o.PreviewBefore!.Value)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
}
