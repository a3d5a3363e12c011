using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>
/// When the engine's look for work finds nothing to send, says which issues it passed over because an
/// editor paused them: each once per hold, not every poll, and again after a restart, so an operator
/// (or a test) sees that the pause is kept.
/// </summary>
internal sealed partial class HeldIssueReport(IssueLifecycle lifecycle, ILogger logger)
{
    public const string EventName = "IssueHeld";

    private HashSet<int> _reported = [];

    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var held = (await lifecycle.HeldAsync(cancellationToken)).ToHashSet();
        foreach (var number in held.Where(n => !_reported.Contains(n)).Order())
        {
            LogHeld(logger, number);
        }

        _reported = held;
    }

    [LoggerMessage(EventName = EventName, Level = LogLevel.Information, Message = "Issue #{Number} is paused by an editor: the engine passes over it until it is resumed")]
    private static partial void LogHeld(ILogger logger, int number);
}
