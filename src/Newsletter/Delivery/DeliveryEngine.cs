using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>
/// Sends issues: in the worker, as a background service that picks up whatever issue is queued,
/// sending, or paused and due (so an issue left sending by a crash resumes on start); from a command
/// or a benchmark, through <see cref="SendIssueAsync"/>. One issue at a time per process. As
/// listmonk's manager sees a store and a messenger, the engine sees a store (<see cref="IDeliveryStore"/>:
/// lease, queue, counts, and the clock they are measured by), the issue's status
/// (<see cref="IssueLifecycle"/>, Digests') and the messenger side (<see cref="SendRuns"/>: renders
/// the issue and runs its connections); SQL and SMTP live behind them. Only an engine holding a
/// sender lease claims and records deliveries.
/// </summary>
public sealed partial class DeliveryEngine(
    IDeliveryStore store,
    IssueLifecycle lifecycle,
    SendRuns runs,
    IOptions<DeliveryOptions> options,
    IServiceScopeFactory scopes,
    ILogger<DeliveryEngine> logger) : BackgroundService
{
    /// <summary>The event name of the log line saying the engine passed over an issue an editor paused.</summary>
    public const string HeldEventName = HeldIssueReport.EventName;

    /// <summary>
    /// The event name of the Debug line saying the engine looked for work and found none: after it,
    /// this process sends nothing until an issue is made, resumed or due (a test waits for it instead
    /// of sleeping to show that no further mail comes).
    /// </summary>
    public const string FoundNoWorkEventName = "FoundNoWork";

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    /// <summary>How often a waiting `send-now` looks whether the other sender is done or gone.</summary>
    private static readonly TimeSpan OtherSenderPoll = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _oneIssueAtATime = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeProvider _clock = store.Clock;
    private SendRun? _current;

    private readonly HeldIssueReport _held = new(lifecycle, logger);
    private readonly SubjectTestWait _subjectTest = new(lifecycle, scopes, logger);

    /// <summary>The running send's progress, or null when nothing is being sent in this process.</summary>
    public SendProgress? CurrentProgress => _current?.Progress;

    /// <summary>An editor paused this issue (already Held in the database): the running send stops now, not at its next batch.</summary>
    public void Hold(long issueId)
    {
        if (_current is { } run && run.IssueId == issueId)
        {
            run.Hold();
        }
    }

    /// <summary>Tells the background loop that an issue was made (it also looks every few seconds).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Sends an issue to completion and returns when every delivery is sent, failed or skipped, or
    /// when a subject test's sample is sent and its rest waits for the winner (the worker sends the
    /// rest when the wait ends; this does not block for the wait). While
    /// the SMTP server is unavailable the issue is paused and this waits for it to resume. While
    /// another process holds the sender lease (a worker sending, another `send-now`), this waits, logging
    /// that send's progress, until that process is done (the issue is sent) or its lease runs out
    /// (it died or stalled: this one takes over and resumes the send).
    /// </summary>
    public async Task<SendProgress> SendIssueAsync(long issueId, CancellationToken cancellationToken)
    {
        var lastWaitLog = long.MinValue;
        while (true)
        {
            var run = await RunOnceAsync(issueId, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (run.End is RunEnd.Completed or RunEnd.Waiting)
            {
                return run.Progress;
            }

            if (run.OtherSender is { } holder)
            {
                if (lastWaitLog == long.MinValue || _clock.GetElapsedTime(lastWaitLog) >= options.Value.ProgressInterval)
                {
                    lastWaitLog = _clock.GetTimestamp();
                    var p = run.Progress;
                    LogWaiting(logger, p.Number, holder.Owner, holder.ExpiresAt, p.Sent, p.Total, p.Failed, p.Skipped);
                }

                await Task.Delay(OtherSenderPoll, _clock, cancellationToken);
                continue;
            }

            var issue = await lifecycle.IssueAsync(issueId, cancellationToken);
            var wait = issue?.Status == DigestIssueStatus.Held
                ? OtherSenderPoll // an editor paused it: look again until they resume it
                : (issue?.ResumeAt ?? _clock.GetUtcNow()) - _clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock, cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (the web front, the scheduler) before the first send.
        await Task.Yield();
        string? waitingFor = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await lifecycle.NextIssueAsync(stoppingToken) is { } issueId)
                {
                    var run = await RunOnceAsync(issueId, stoppingToken);
                    if (run.OtherSender is { } holder)
                    {
                        // Another process sends; look again now and then (it may finish, or die).
                        if (holder.Owner != waitingFor)
                        {
                            waitingFor = holder.Owner;
                            LogOtherSender(logger, run.Progress.Number, holder.Owner, holder.ExpiresAt);
                        }

                        await WaitForWorkAsync(IdlePoll, stoppingToken);
                    }
                    else
                    {
                        waitingFor = null;
                    }

                    continue;
                }

                await _held.ReportAsync(stoppingToken);
                var resume = await lifecycle.NextResumeAsync(stoppingToken);
                var wait = resume is { } at && at - _clock.GetUtcNow() < IdlePoll ? at - _clock.GetUtcNow() : IdlePoll;
                LogFoundNoWork(logger, wait);
                await WaitForWorkAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogEngineFailed(logger, e);
                await WaitForWorkAsync(IdlePoll, stoppingToken);
            }
        }
    }

    /// <summary>
    /// One run over an issue: until it is done, pauses, the host stops, or another process holds (or
    /// takes over) the sender lease.
    /// </summary>
    private async Task<RunResult> RunOnceAsync(long issueId, CancellationToken cancellationToken)
    {
        await _oneIssueAtATime.WaitAsync(cancellationToken);
        try
        {
            var issue = await lifecycle.IssueAsync(issueId, cancellationToken)
                ?? throw new InvalidOperationException($"No digest issue with id {issueId}");
            if (issue.Status is DigestIssueStatus.Sent or DigestIssueStatus.Held
                || (issue.Status == DigestIssueStatus.Paused && issue.ResumeAt > _clock.GetUtcNow()))
            {
                var end = issue.Status == DigestIssueStatus.Sent ? RunEnd.Completed
                    : SubjectTestWait.RestWaits(issue) ? RunEnd.Waiting
                    : RunEnd.Paused;
                return new RunResult(end, await CountsAsync(issue, cancellationToken));
            }

            // An old binary beside an upgraded database sends nothing (the send-now command fails with
            // the reason; the worker logs it and looks again later).
            await runs.EnsureCanSendAsync(cancellationToken);

            // Taking the lease puts back what this issue had claimed under leases that ran out: the
            // mails in flight when their sender died or stopped.
            var taken = await store.Leases.AcquireAsync(issueId, options.Value.LeaseDuration, cancellationToken);
            if (!taken.Acquired)
            {
                return new RunResult(RunEnd.Stopped, await CountsAsync(issue, cancellationToken),
                    taken.Holder ?? new LeaseHolder("unknown", _clock.GetUtcNow(), null));
            }

            await using var lease = new HeldLease(store.Leases, issueId, issue.Number, options.Value.LeaseDuration, _clock, logger, cancellationToken);
            if (taken.Released > 0)
            {
                LogReleased(logger, issue.Number, taken.Released);
            }

            return await SendAsync(issue, lease.Held, cancellationToken);
        }
        finally
        {
            _oneIssueAtATime.Release();
        }
    }

    /// <summary>The send itself, under the lease: start, run, then complete or pause the issue.</summary>
    private async Task<RunResult> SendAsync(DigestIssue issue, CancellationToken leaseHeld, CancellationToken stopping)
    {
        if (!await lifecycle.StartAsync(issue.Id, stopping))
        {
            // Sent by another process meanwhile, or held by an editor.
            var now = await lifecycle.IssueAsync(issue.Id, stopping);
            return new RunResult(now?.Status == DigestIssueStatus.Held ? RunEnd.Paused : RunEnd.Completed, await CountsAsync(issue, stopping));
        }

        // Before the run is prepared, so that it builds the rest's mails with the winner's subject.
        await _subjectTest.DecideIfDueAsync(issue, stopping);

        var counts = await store.Reads.CountAsync(issue.Id, stopping);
        using var run = await runs.CreateAsync(issue.Id, counts, stopping);
        LogStarting(logger, issue.Number, counts.Total, counts.Remaining, issue.Subject);
        _current = run;
        RunEnd end;
        try
        {
            end = await run.ExecuteAsync(leaseHeld);
        }
        catch (SenderLeaseLostException) when (!stopping.IsCancellationRequested)
        {
            end = RunEnd.Stopped;
        }
        finally
        {
            _current = null;
        }

        if (!stopping.IsCancellationRequested && (leaseHeld.IsCancellationRequested || end == RunEnd.Stopped))
        {
            LogLeaseLost(logger, issue.Number);
            return new RunResult(RunEnd.Stopped, run.Progress, new LeaseHolder("unknown", _clock.GetUtcNow(), issue.Id));
        }

        if (end == RunEnd.Completed && run.RestWaits)
        {
            return new RunResult(await _subjectTest.PauseForTheWinnerAsync(issue) ? RunEnd.Waiting : RunEnd.Paused, run.Progress);
        }

        if (end == RunEnd.Completed && await CompleteAsync(issue.Id))
        {
            LogCompleted(logger, issue.Number, run.Progress.Sent, run.Progress.Failed, run.Progress.Skipped);
        }
        else if (end == RunEnd.Completed)
        {
            // Some rows are still claimed (a recording failed); the next run puts them back.
            await Task.Delay(TimeSpan.FromSeconds(1), _clock, stopping);
            end = RunEnd.Paused;
        }
        else if (end == RunEnd.Paused)
        {
            await lifecycle.PauseAsync(issue.Id, _clock.GetUtcNow() + options.Value.PauseDelay, run.PauseReason ?? "", CancellationToken.None);
        }

        return new RunResult(end, run.Progress);
    }

    /// <summary>
    /// The issue is sent once none of its deliveries is claimed and none is queued but for mail held
    /// for a paused recipient domain (Digests changes its status).
    /// </summary>
    private async Task<bool> CompleteAsync(long issueId)
    {
        var left = await store.Reads.CountAsync(issueId, CancellationToken.None);
        return left.Sending == 0
            && (left.Queued == 0 || await store.Queue.NextDueAsync(issueId, CancellationToken.None) is null)
            && await lifecycle.CompleteAsync(issueId, CancellationToken.None);
    }

    private async Task<SendProgress> CountsAsync(DigestIssue issue, CancellationToken cancellationToken)
    {
        var c = await store.Reads.CountAsync(issue.Id, cancellationToken);
        return new SendProgress(issue.Id, issue.Number, c.Total, c.Sent, c.Failed, c.Skipped, 0);
    }

    /// <summary>How a run ended; <see cref="OtherSender"/> set when another process holds the sender lease.</summary>
    private readonly record struct RunResult(RunEnd End, SendProgress Progress, LeaseHolder? OtherSender = null);

    private async Task WaitForWorkAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _oneIssueAtATime.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue #{Number}: sending \"{Subject}\" to {Remaining} of {Total} recipients")]
    private static partial void LogStarting(ILogger logger, int number, int total, int remaining, string subject);

    [LoggerMessage(EventName = FoundNoWorkEventName, Level = LogLevel.Debug, Message = "Nothing to send; the engine looks again in {Wait} or when woken")]
    private static partial void LogFoundNoWork(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue #{Number}: sent ({Sent} sent, {Failed} failed, {Skipped} skipped)")]
    private static partial void LogCompleted(ILogger logger, int number, int sent, int failed, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: {Count} deliveries were in flight when the last send stopped; they go again")]
    private static partial void LogReleased(ILogger logger, int number, int count);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Issue #{Number}: another process ({Holder}) is sending, its lease runs until {ExpiresAt:u}; waiting for it to finish or for the lease to run out ({Sent}/{Total} sent, {Failed} failed, {Skipped} skipped)")]
    private static partial void LogWaiting(ILogger logger, int number, string holder, DateTimeOffset expiresAt, int sent, int total, int failed, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue #{Number}: another process ({Holder}) holds the sender lease until {ExpiresAt:u}; this one waits")]
    private static partial void LogOtherSender(ILogger logger, int number, string holder, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: this process lost the sender lease and stopped sending; it waits for the new holder")]
    private static partial void LogLeaseLost(ILogger logger, int number);

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery engine failed; it tries again shortly")]
    private static partial void LogEngineFailed(ILogger logger, Exception exception);
}
