using Microsoft.Extensions.Options;
using Newsletter.Mail;

namespace Newsletter.SendingSetup;

/// <summary>
/// At start, with Smtp:Host set, one warning line per way the From, DKIM and Return-Path domains fail
/// DMARC's relaxed alignment (or DKIM being off). A warning, not a stop: the checks need only the
/// configuration, but the records may live in a DNS this host cannot see.
/// </summary>
public sealed partial class AlignmentAtStart(SendingPlan plan, IOptions<SmtpOptions> smtp, ILogger<AlignmentAtStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!smtp.Value.UsesPickupDirectory)
        {
            foreach (var problem in plan.AlignmentProblems())
            {
                LogProblem(logger, problem);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2601, EventName = "SendingNotAligned", Level = LogLevel.Warning, Message = "Sending setup: {Problem} (run `doctor` for the records to publish)")]
    private static partial void LogProblem(ILogger logger, string problem);
}
