using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Digests;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>
/// One pass of the engine over one issue, the loop of the send: the <see cref="Claimer"/> pages the
/// queue into a bounded channel; Smtp:Connections <see cref="SendWorker"/>s (each with its own
/// messenger, so its own connection) build and send; the <see cref="OutcomePolicy"/> says what each
/// outcome means; the <see cref="OutcomeRecorder"/> commits outcomes in small groups.
/// </summary>
internal sealed partial class SendRun : IDisposable
{
    private readonly Claimer _claimer;
    private readonly SendWorker _worker;
    private readonly OutcomePolicy _policy;
    private readonly OutcomeRecorder _recorder;
    private readonly SendCounters _counters;
    private readonly Channel<ClaimedDelivery> _work;
    private readonly RateLimiter? _limiter;
    private readonly int _connections;
    private readonly TimeSpan _progressInterval;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly IDeliveryStore _store;
    private readonly long _issueId;
    private readonly int _number;
    private readonly DomainGuard _guard;
    private readonly IServiceScopeFactory _scopes;
    private int _guardChecking;

    public SendRun(long issueId, PreparedDigest digest, DeliveryCounts counts, SendRuns s)
    {
        IssueId = issueId;
        var smtp = s.Smtp.Value;
        var options = s.Options.Value;
        _connections = smtp.UsesPickupDirectory ? 1 : smtp.Connections;
        _progressInterval = options.ProgressInterval;
        _clock = s.Clock;
        _logger = s.Loggers.CreateLogger<DeliveryEngine>();
        (_store, _issueId, _number) = (s.Store, issueId, digest.Number);
        _counters = new SendCounters(issueId, digest.Number, counts);
        _policy = new OutcomePolicy(s.Retry, s.Clock, _connections, digest.Number, _logger);
        (_guard, _scopes) = (s.Guard, s.Scopes);
        _recorder = new OutcomeRecorder(s.Store.Queue, _counters, issueId, _connections, _logger, Committed);
        _claimer = new Claimer(s.Store.Queue, _recorder, _policy, s.Clock, issueId, options.BatchSize);
        _limiter = s.Store.CreateRateLimiter(smtp.MaxMessagesPerSecond);
        _worker = new SendWorker(digest, s.Mails, s.Messengers, s.Store.Queue, _policy, _recorder, _limiter, _connections);
        _work = Channel.CreateBounded<ClaimedDelivery>(new BoundedChannelOptions(options.BatchSize) { SingleWriter = true });
    }

    public SendProgress Progress => _counters.Progress;

    public string? PauseReason => _policy.PauseReason;

    public long IssueId { get; }

    /// <summary>An editor paused the issue: stop claiming, put back what is claimed and not sent, let the mails on the wire finish.</summary>
    public void Hold() => _policy.Hold();

    public async Task<RunEnd> ExecuteAsync(CancellationToken stopping)
    {
        // A stop lets the mails on the wire finish and records every outcome; only a stop that takes
        // too long cuts the sends short (their rows stay Sending and go back to the queue at the next start).
        using var hard = new CancellationTokenSource();
        using var stopRegistration = stopping.Register(() => hard.CancelAfter(TimeSpan.FromSeconds(10)));
        using var progressStop = new CancellationTokenSource();
        var recording = Task.Run(() => _recorder.RunAsync(hard), CancellationToken.None);
        var workers = Enumerable.Range(0, _connections).Select(_ => Task.Run(() => _worker.RunAsync(_work.Reader, hard, stopping), CancellationToken.None)).ToArray();
        var progress = LogProgressAsync(progressStop.Token);
        RunEnd end;
        try
        {
            end = await _claimer.RunAsync(_work.Writer, hard.Token, stopping);
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
            _ = _recorder.Add(_policy.Drain());
            _recorder.Complete();
            await Quietly(recording);
            await progressStop.CancelAsync();
            await progress;
        }

        // Surface a connection's or the recorder's failure rather than calling the run complete.
        if (workers.Append(recording).Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        await Task.WhenAll(workers.Append(recording));
        LogProgress(_logger, Progress);
        var (commits, records, waits) = _recorder.Statistics;
        LogRecording(_logger, _number, records, commits, waits);
        return end;
    }

    /// <summary>
    /// After a commit with sender problems (blocked, content, policy, rate), the reputation guard counts
    /// their domains off the connections' threads; one check at a time, since the counts are the issue's
    /// so far and the next group's check sees whatever a skipped one would have.
    /// </summary>
    private void Committed(IReadOnlyList<DeliveryRecord> records)
    {
        var ids = records.Where(r => r.Failure?.Consequence == Mail.Failures.FailureConsequence.Sender).Select(r => r.Id).ToList();
        if (ids.Count == 0 || Interlocked.Exchange(ref _guardChecking, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                await _guard.CheckDeliveriesAsync(scope.ServiceProvider.GetRequiredService<Data.NewsletterDbContext>(), _issueId, ids, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogGuardFailed(_logger, e, _number);
            }
            finally
            {
                Volatile.Write(ref _guardChecking, 0);
            }
        });
    }

    private static Task Quietly(Task task) =>
        task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private async Task LogProgressAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_progressInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                LogProgress(_logger, await WholeSendAsync(cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Reports this run's rate on its lease, and returns the whole send as the database has it: every
    /// instance's records and rates (this run's own counts if the database cannot say).
    /// </summary>
    private async Task<SendProgress> WholeSendAsync(CancellationToken cancellationToken)
    {
        var mine = Progress;
        try
        {
            await _store.Leases.ReportRateAsync(mine.RatePerSecond, cancellationToken);
            var counts = await _store.Queue.CountAsync(_issueId, cancellationToken);
            var rate = await _store.Leases.RateAsync(_issueId, cancellationToken) ?? mine.RatePerSecond;
            return new SendProgress(_issueId, _number, counts.Total, counts.Sent, counts.Failed, counts.Skipped, Math.Round(rate, 1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return mine;
        }
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _limiter?.Dispose();
    }

    private static void LogProgress(ILogger logger, SendProgress p) =>
        LogProgressLine(logger, p.Number, p.Sent, p.Total, p.Failed, p.Skipped, p.RatePerSecond,
            p.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "-");

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Issue #{Number}: this run recorded {Records} outcomes in {Commits} commits; a connection waited for a commit {Waits} times")]
    private static partial void LogRecording(ILogger logger, int number, int records, int commits, int waits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}: the reputation guard could not count this send's sender problems; the next report or send looks again")]
    private static partial void LogGuardFailed(ILogger logger, Exception exception, int number);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Issue #{Number}: {Sent}/{Total} sent, {Failed} failed, {Skipped} skipped, {Rate} mails/s, ETA {Eta}")]
    private static partial void LogProgressLine(ILogger logger, int number, int sent, int total, int failed, int skipped, double rate, string eta);
}

/// <summary>Makes the send runs: what a run stands on, from the container.</summary>
public sealed class SendRuns(
    IDeliveryStore store, DigestMails mails, IMessengerFactory messengers, RetryPolicy retry,
    IOptions<DeliveryOptions> options, IOptions<SmtpOptions> smtp, TimeProvider clock, ILoggerFactory loggers,
    DomainGuard guard, IServiceScopeFactory scopes)
{
    internal DomainGuard Guard => guard;

    internal IServiceScopeFactory Scopes => scopes;

    internal IDeliveryStore Store => store;

    internal DigestMails Mails => mails;

    internal IMessengerFactory Messengers => messengers;

    internal RetryPolicy Retry => retry;

    internal IOptions<DeliveryOptions> Options => options;

    internal IOptions<SmtpOptions> Smtp => smtp;

    internal TimeProvider Clock => clock;

    internal ILoggerFactory Loggers => loggers;

    internal SendRun Create(long issueId, PreparedDigest digest, DeliveryCounts counts) => new(issueId, digest, counts, this);
}
