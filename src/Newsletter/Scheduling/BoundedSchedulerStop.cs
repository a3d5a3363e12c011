using Microsoft.Extensions.Options;

namespace Newsletter.Scheduling;

/// <summary>
/// Quartz's hosted service, with a stop that ends whatever the database does. Quartz's shutdown
/// waits for the running jobs (WaitForJobsToComplete), and a job's completion is written to the
/// ADO job store, which retries a lost connection until the store itself is shut down; Quartz shuts
/// the store down only after the jobs are done, and does not look at the stop's token meanwhile.
/// With PostgreSQL gone at the moment of a stop, the process waited there for over an hour
/// (AdoJobStoreBase.GetConnection in the log) and systemd had to SIGKILL it. Here the stop waits at
/// most half the host's shutdown timeout, leaving the rest to the delivery engine, which stops after
/// the scheduler; a fire whose completion was not recorded is recovered from the job store at the
/// next start (or by another node).
/// </summary>
internal sealed class BoundedSchedulerStop(IHostedService quartz, IOptions<HostOptions> host, ILogger<BoundedSchedulerStop> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => quartz.StartAsync(cancellationToken);

    /// <summary>The stop went on without the scheduler: its threads may still wait on the job store.</summary>
    public bool Abandoned { get; private set; }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(host.Value.ShutdownTimeout / 2);
        var stop = quartz.StopAsync(bound.Token);
        try
        {
            await stop.WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            Abandoned = true;
            logger.LogWarning(
                "The scheduler did not stop within {Seconds} s (its job store cannot reach the database?); the stop goes on without it",
                (host.Value.ShutdownTimeout / 2).TotalSeconds);
        }
    }

    /// <summary>Replaces the hosted service Quartz registered with this wrapper around it.</summary>
    public static void Wrap(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "QuartzHostedService");
        var index = services.IndexOf(registered);
        var type = registered.ImplementationType!;
        services[index] = ServiceDescriptor.Singleton<IHostedService>(sp => new BoundedSchedulerStop(
            (IHostedService)ActivatorUtilities.CreateInstance(sp, type),
            sp.GetRequiredService<IOptions<HostOptions>>(),
            sp.GetRequiredService<ILogger<BoundedSchedulerStop>>()));
    }
}
