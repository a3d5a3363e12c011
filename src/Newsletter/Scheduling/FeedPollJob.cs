using Newsletter.Comparisons;
using Quartz;

namespace Newsletter.Scheduling;

/// <summary>One poll of the comparison feed, as Quartz fires it (at start, then on Sources:Feed:Schedule).</summary>
[DisallowConcurrentExecution]
public sealed class FeedPollJob(FeedPoller poller) : IJob
{
    public static readonly JobKey Key = new("comparison-feed", "newsletter");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await poller.PollAsync(cancellationToken);
}
