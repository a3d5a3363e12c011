using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Newsletter.Delivery;

/// <summary>
/// One pass of the engine over one issue, the loop of the send: the <see cref="Claimer"/> pages the
/// queue into a bounded channel; Smtp:Connections <see cref="SendWorker"/>s (each with its own
/// messenger, so its own connection) build and send; the <see cref="OutcomePolicy"/> says what each
/// outcome means; the <see cref="OutcomeRecorder"/> commits outcomes in small groups.
/// </summary>
internal sealed partial class SendRun(
    SendCounters counters, OutcomePolicy policy, OutcomeRecorder recorder, Claimer claimer, SendWorker worker, RunProgress progress, ILogger logger)
    : IDisposable
{
    private readonly Channel<ClaimedDelivery> _work =
        Channel.CreateBounded<ClaimedDelivery>(new BoundedChannelOptions(claimer.BatchSize) { SingleWriter = true });

    public SendProgress Progress => counters.Progress;

    public string? PauseReason => policy.PauseReason;

    public long IssueId => counters.IssueId;

    /// <summary>The issue runs a subject test with no winner when this run began: its rest was not this run's to claim.</summary>
    public bool RestWaits { get; init; }

    /// <summary>An editor paused the issue: stop claiming, put back what is claimed and not sent, let the mails on the wire finish.</summary>
    public void Hold() => policy.Hold();

    public async Task<RunEnd> ExecuteAsync(CancellationToken stopping)
    {
        // A stop lets the mails on the wire finish and records every outcome; only a stop that takes
        // too long cuts the sends short (their rows stay Sending and go back to the queue at the next start).
        using var hard = new CancellationTokenSource();
        using var stopRegistration = stopping.Register(() => hard.CancelAfter(TimeSpan.FromSeconds(10)));
        using var progressStop = new CancellationTokenSource();
        var recording = Task.Run(() => recorder.RunAsync(hard), CancellationToken.None);
        var workers = Enumerable.Range(0, worker.Connections).Select(_ => Task.Run(() => worker.RunAsync(_work.Reader, hard, stopping), CancellationToken.None)).ToArray();
        var progressLog = progress.LogAsync(progressStop.Token);
        RunEnd end;
        try
        {
            end = await claimer.RunAsync(_work.Writer, hard.Token, stopping);
        }
        catch (Exception) when (!hard.IsCancellationRequested)
        {
            await hard.CancelAsync();
            throw;
        }
        finally
        {
            _work.Writer.TryComplete();
            await Quietly(Task.WhenAll(workers));
            _ = recorder.Add(policy.Drain());
            recorder.Complete();
            await Quietly(recording);
            await progressStop.CancelAsync();
            await progressLog;
        }

        // Surface a connection's or the recorder's failure rather than calling the run complete.
        if (workers.Append(recording).Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        await Task.WhenAll(workers.Append(recording));
        RunProgress.Log(logger, Progress);
        var (commits, records, waits) = recorder.Statistics;
        LogRecording(logger, counters.Number, records, commits, waits);
        return end;
    }

    private static Task Quietly(Task task) =>
        task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    public void Dispose()
    {
        recorder.Dispose();
        worker.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Issue #{Number}: this run recorded {Records} outcomes in {Commits} commits; a connection waited for a commit {Waits} times")]
    private static partial void LogRecording(ILogger logger, int number, int records, int commits, int waits);
}
