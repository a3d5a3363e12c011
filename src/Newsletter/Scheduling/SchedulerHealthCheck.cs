using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>GET /health's "scheduler" entry: healthy while Quartz is started and not in standby.</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        if (status != SchedulerStatus.Running)
        {
            return HealthCheckResult.Unhealthy($"not running ({status.ToString().ToLowerInvariant()})");
        }

        var next = await scheduler.GetTrigger(DigestScheduleRegistrar.TriggerKey, cancellationToken);
        return HealthCheckResult.Healthy(next?.NextFireTimeUtc is { } at ? $"running; next digest {at:u}" : "running");
    }
}
