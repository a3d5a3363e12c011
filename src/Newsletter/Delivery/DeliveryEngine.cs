using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// Sends issues: in the worker, as a background service that picks up whatever issue is queued,
/// sending, or paused and due (so an issue left sending by a crash resumes on start); from a command
/// or a benchmark, through <see cref="SendIssueAsync"/>. One issue at a time per process.
/// The engine knows a store (<see cref="DeliveryStore"/>, <see cref="IssueLifecycle"/>) and a
/// messenger (<see cref="IMessengerFactory"/>); SQL and SMTP live behind them.
/// </summary>
public sealed partial class DeliveryEngine(
    DeliveryStore store,
    IssueLifecycle lifecycle,
    IDigestRenderer renderer,
    MailFactory mails,
    IMessengerFactory messengers,
    RetryPolicy retry,
    IOptions<DeliveryOptions> options,
    IOptions<SmtpOptions> smtp,
    IOptions<NewsletterOptions> newsletter,
    TimeProvider clock,
    ILogger<DeliveryEngine> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _oneIssueAtATime = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private SendRun? _current;

    /// <summary>The running send's progress, or null when nothing is being sent in this process.</summary>
    public SendProgress? CurrentProgress => _current?.Progress;

    /// <summary>Tells the background loop that an issue was made (it also looks every few seconds).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Sends an issue to completion and returns when every delivery is sent, failed or skipped. While
    /// the SMTP server is unavailable the issue is paused and this waits for it to resume.
    /// </summary>
    public async Task<SendProgress> SendIssueAsync(long issueId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (end, progress) = await RunOnceAsync(issueId, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (end == RunEnd.Completed)
            {
                return progress;
            }

            var issue = await store.IssueAsync(issueId, cancellationToken);
            var wait = (issue?.ResumeAt ?? clock.GetUtcNow()) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (the web front, the scheduler) before the first send.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await store.NextIssueAsync(stoppingToken) is { } issueId)
                {
                    await RunOnceAsync(issueId, stoppingToken);
                    continue;
                }

                var resume = await store.NextResumeAsync(stoppingToken);
                var wait = resume is { } at && at - clock.GetUtcNow() < IdlePoll ? at - clock.GetUtcNow() : IdlePoll;
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

    /// <summary>One run over an issue: until it is done, pauses, or the host stops.</summary>
    private async Task<(RunEnd End, SendProgress Progress)> RunOnceAsync(long issueId, CancellationToken cancellationToken)
    {
        await _oneIssueAtATime.WaitAsync(cancellationToken);
        try
        {
            var issue = await store.IssueAsync(issueId, cancellationToken)
                ?? throw new InvalidOperationException($"No digest issue with id {issueId}");
            if (issue.Status == DigestIssueStatus.Sent)
            {
                var done = await store.CountAsync(issueId, cancellationToken);
                return (RunEnd.Completed, new SendProgress(issueId, issue.Number, done.Total, done.Sent, done.Failed, done.Skipped, 0));
            }

            if (issue.Status == DigestIssueStatus.Paused && issue.ResumeAt > clock.GetUtcNow())
            {
                var paused = await store.CountAsync(issueId, cancellationToken);
                return (RunEnd.Paused, new SendProgress(issueId, issue.Number, paused.Total, paused.Sent, paused.Failed, paused.Skipped, 0));
            }

            // Whatever this issue had claimed and not recorded was in flight when a process died.
            var released = await store.ReleaseClaimsAsync(issueId, cancellationToken);
            if (released > 0)
            {
                LogReleased(logger, issue.Number, released);
            }

            await lifecycle.StartAsync(issueId, cancellationToken);
            var counts = await store.CountAsync(issueId, cancellationToken);
            var digest = await renderer.PrepareAsync(issueId, cancellationToken);
            LogStarting(logger, issue.Number, counts.Total, counts.Remaining, issue.Subject);

            using var run = new SendRun(issueId, digest, counts, new SendRun.Dependencies(
                store, mails, messengers, retry, options.Value, smtp.Value, newsletter.Value, clock, logger));
            _current = run;
            RunEnd end;
            try
            {
                end = await run.ExecuteAsync(cancellationToken);
            }
            finally
            {
                _current = null;
            }

            switch (end)
            {
                case RunEnd.Completed when await lifecycle.CompleteAsync(issueId, CancellationToken.None):
                    LogCompleted(logger, issue.Number, run.Progress.Sent, run.Progress.Failed, run.Progress.Skipped);
                    break;
                case RunEnd.Completed:
                    // Rows of this issue are claimed by another process; look again in a moment.
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
                    end = RunEnd.Paused;
                    break;
                case RunEnd.Paused:
                    await lifecycle.PauseAsync(issueId, clock.GetUtcNow() + options.Value.PauseDelay, run.PauseReason ?? "", CancellationToken.None);
                    break;
            }

            return (end, run.Progress);
        }
        finally
        {
            _oneIssueAtATime.Release();
        }
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue #{Number}: sent ({Sent} sent, {Failed} failed, {Skipped} skipped)")]
    private static partial void LogCompleted(ILogger logger, int number, int sent, int failed, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: {Count} deliveries were in flight when the last send stopped; they go again")]
    private static partial void LogReleased(ILogger logger, int number, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery engine failed; it tries again shortly")]
    private static partial void LogEngineFailed(ILogger logger, Exception exception);
}
