namespace Newsletter.Delivery;

/// <summary>
/// A run's progress line, every Delivery:ProgressInterval: this run reports its rate on its lease,
/// and the line tells the whole send as the database has it (every instance's records and rates;
/// this run's own counts if the database cannot say).
/// </summary>
internal sealed partial class RunProgress(IDeliveryStore store, SendCounters counters, TimeSpan interval, ILogger logger)
{
    public async Task LogAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, store.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Log(logger, await WholeSendAsync(cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public static void Log(ILogger logger, SendProgress p) =>
        LogProgressLine(logger, p.Number, p.Sent, p.Total, p.Failed, p.Skipped, p.RatePerSecond,
            p.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "-");

    private async Task<SendProgress> WholeSendAsync(CancellationToken cancellationToken)
    {
        var mine = counters.Progress;
        try
        {
            await store.Leases.ReportRateAsync(mine.RatePerSecond, cancellationToken);
            var counts = await store.Reads.CountAsync(mine.IssueId, cancellationToken);
            var rate = await store.Leases.RateAsync(mine.IssueId, cancellationToken) ?? mine.RatePerSecond;
            return new SendProgress(mine.IssueId, mine.Number, counts.Total, counts.Sent, counts.Failed, counts.Skipped, Math.Round(rate, 1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return mine;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Issue #{Number}: {Sent}/{Total} sent, {Failed} failed, {Skipped} skipped, {Rate} mails/s, ETA {Eta}")]
    private static partial void LogProgressLine(ILogger logger, int number, int sent, int total, int failed, int skipped, double rate, string eta);
}
