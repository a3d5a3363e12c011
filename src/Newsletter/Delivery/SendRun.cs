using System.Diagnostics;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Subscribers;
using Newsletter.Mail;

namespace Newsletter.Delivery;

/// <summary>How a run of the engine over one issue ended.</summary>
public enum RunEnd
{
    /// <summary>Nothing is left queued or in flight.</summary>
    Completed,

    /// <summary>The SMTP server is unavailable; the issue should pause.</summary>
    Paused,

    /// <summary>The host is stopping; what was claimed and not sent went back to the queue.</summary>
    Stopped,
}

/// <summary>
/// One pass of the engine over one issue: a claimer pages through the queue in id order and feeds a
/// bounded channel; Smtp:Connections workers (each with its own messenger, so its own connection)
/// render, build and send; one recorder writes the outcomes back in batches. At most two batches
/// are claimed and not yet recorded at any time: after a crash those are the mails that may go twice.
/// </summary>
internal sealed partial class SendRun : IDisposable
{
    private const int FlushSize = 256;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly long _issueId;
    private readonly PreparedDigest _digest;
    private readonly Dependencies _d;
    private readonly int _connections;
    private readonly int _batchSize;
    private readonly int _pauseAfterTemporaryFailures;
    private readonly Channel<ClaimedDelivery> _work;
    private readonly Channel<DeliveryRecord> _outcomes = Channel.CreateUnbounded<DeliveryRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _recorded = new(0);
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly int _total;
    private readonly int _doneAtStart;

    private int _inFlight;
    private int _sent;
    private int _failed;
    private int _skipped;
    private int _consecutiveTemporary;
    private string? _pauseReason;

    public SendRun(long issueId, PreparedDigest digest, DeliveryCounts counts, Dependencies dependencies)
    {
        _issueId = issueId;
        _digest = digest;
        _d = dependencies;
        _connections = dependencies.Smtp.UsesPickupDirectory ? 1 : dependencies.Smtp.Connections;
        _batchSize = dependencies.Options.BatchSize;
        _pauseAfterTemporaryFailures = Math.Max(10, 3 * _connections);
        _work = Channel.CreateBounded<ClaimedDelivery>(new BoundedChannelOptions(_batchSize) { SingleWriter = true });
        _total = counts.Total;
        _sent = counts.Sent;
        _failed = counts.Failed;
        _skipped = counts.Skipped;
        _doneAtStart = counts.Done;
    }

    /// <summary>The services a run uses, bundled so the engine hands them over in one piece.</summary>
    public sealed record Dependencies(
        DeliveryStore Store, MailFactory Mails, IMessengerFactory Messengers, RetryPolicy Retry,
        DeliveryOptions Options, SmtpOptions Smtp, NewsletterOptions Newsletter, TimeProvider Clock, ILogger Logger);

    public string? PauseReason => _pauseReason;

    public long IssueId => _issueId;

    /// <summary>An editor paused the issue: stop claiming, put back what is claimed and not sent, let the mails on the wire finish.</summary>
    public void Hold() => RequestPause("paused by an editor");

    public SendProgress Progress
    {
        get
        {
            var sent = Volatile.Read(ref _sent);
            var failed = Volatile.Read(ref _failed);
            var skipped = Volatile.Read(ref _skipped);
            var seconds = _elapsed.Elapsed.TotalSeconds;
            var rate = seconds > 0.05 ? (sent + failed + skipped - _doneAtStart) / seconds : 0;
            return new SendProgress(_issueId, _digest.Number, _total, sent, failed, skipped, Math.Round(rate, 1));
        }
    }

    public async Task<RunEnd> ExecuteAsync(CancellationToken stopping)
    {
        // A stop lets the mails on the wire finish and records every outcome; only a stop that takes
        // too long cuts the sends short (their rows stay Sending and go back to the queue at the next start).
        using var hard = new CancellationTokenSource();
        using var stopRegistration = stopping.Register(() => hard.CancelAfter(TimeSpan.FromSeconds(10)));
        using var limiter = CreateLimiter();
        using var progressStop = new CancellationTokenSource();

        var recorder = Task.Run(() => RecordLoopAsync(hard), CancellationToken.None);
        var workers = Enumerable.Range(0, _connections)
            .Select(_ => Task.Run(() => WorkerAsync(limiter, hard, stopping), CancellationToken.None))
            .ToArray();
        var progress = ProgressLoopAsync(progressStop.Token);

        var end = RunEnd.Completed;
        try
        {
            end = await ClaimLoopAsync(hard, stopping);
        }
        catch (Exception) when (!hard.IsCancellationRequested)
        {
            await hard.CancelAsync();
            throw;
        }
        finally
        {
            _work.Writer.TryComplete();
            await Task.WhenAll(workers).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _outcomes.Writer.TryComplete();
            await recorder.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            await progressStop.CancelAsync();
            await progress;
        }

        // Surface a worker's or the recorder's failure rather than calling the run complete: the
        // first real one, not the cancellations it caused in the other tasks.
        var failure = workers.Append(recorder)
            .Select(t => t.Exception?.InnerException)
            .FirstOrDefault(e => e is not null and not OperationCanceledException);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        await Task.WhenAll(workers);
        await recorder;
        LogProgress(_d.Logger, Progress);
        return end;
    }

    private async Task<RunEnd> ClaimLoopAsync(CancellationTokenSource hard, CancellationToken stopping)
    {
        long after = 0;
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                return RunEnd.Stopped;
            }

            if (_pauseReason is not null)
            {
                return RunEnd.Paused;
            }

            if (await _d.Store.IsHeldAsync(_issueId, hard.Token))
            {
                Hold();
                continue;
            }

            // Back-pressure: claim the next batch only when at most one batch is unrecorded.
            while (Volatile.Read(ref _inFlight) > _batchSize && _pauseReason is null)
            {
                await _recorded.WaitAsync(hard.Token);
            }

            var batch = await _d.Store.ClaimAsync(_issueId, after, _batchSize, hard.Token);
            if (batch.Count == 0)
            {
                if (after > 0)
                {
                    // End of a pass in id order; the next pass picks up retries that have come due.
                    after = 0;
                    continue;
                }

                await WaitUntilRecordedAsync(hard.Token);
                if (_pauseReason is not null)
                {
                    return RunEnd.Paused;
                }

                var due = await _d.Store.NextDueAsync(_issueId, hard.Token);
                if (due is null)
                {
                    return RunEnd.Completed;
                }

                // Only retries waiting for their time are left: sleep until the first is due.
                var wait = due.Value - _d.Clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), _d.Clock, stopping)
                        .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }

                continue;
            }

            Interlocked.Add(ref _inFlight, batch.Count);
            after = batch[^1].Id;
            foreach (var delivery in batch)
            {
                await _work.Writer.WriteAsync(delivery, hard.Token);
            }
        }
    }

    private async Task WaitUntilRecordedAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _inFlight) > 0)
        {
            await _recorded.WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private async Task WorkerAsync(RateLimiter? limiter, CancellationTokenSource hard, CancellationToken stopping)
    {
        try
        {
            await SendLoopAsync(limiter, hard, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken worker stops the run: the claimer must not wait for it.
            await hard.CancelAsync();
            throw;
        }
    }

    private async Task SendLoopAsync(RateLimiter? limiter, CancellationTokenSource hard, CancellationToken stopping)
    {
        await using var messenger = _d.Messengers.Create();
        // A few at a time, each subscriber's status read again just before their mail goes out.
        await foreach (var delivery in RecipientRecheck.ReadAsync(_work.Reader, _d.Store, _connections, hard.Token))
        {
            if (stopping.IsCancellationRequested || _pauseReason is not null)
            {
                // Not sent: back to the queue as it was, no attempt spent.
                Record(new DeliveryRecord(delivery.Id, DeliveryStatus.Queued, delivery.Attempts, null, null));
                continue;
            }

            if (!delivery.IsDeliverable)
            {
                Record(new DeliveryRecord(delivery.Id, DeliveryStatus.Skipped, delivery.Attempts, null, null));
                continue;
            }

            MimeMessage message;
            try
            {
                message = Build(delivery);
            }
            catch (Exception e) when (e is ParseException or ArgumentException or FormatException)
            {
                Record(new DeliveryRecord(delivery.Id, DeliveryStatus.Failed, delivery.Attempts + 1, null, "Could not build the mail: " + e.Message));
                continue;
            }

            if (limiter is not null)
            {
                await AcquireAsync(limiter, hard.Token);
            }

            var outcome = await messenger.SendAsync(message, hard.Token);
            Record(ToRecord(delivery, outcome));
        }
    }

    private MimeMessage Build(ClaimedDelivery d)
    {
        var rendered = _digest.RenderFor(new DigestReader(d.Email!, d.Name, d.UnsubscribeToken!));
        return _d.Mails.Build(new OutgoingMail(new MailboxAddress(d.Name ?? "", d.Email!), _digest.Subject, rendered.Html, rendered.Text)
        {
            MessageIdKey = $"issue-{_digest.Number}.subscriber-{d.SubscriberId}",
            Unsubscribe = new UnsubscribeLinks(_d.Newsletter.Unsubscribe(d.UnsubscribeToken!), _d.Newsletter.UnsubscribeMailto(d.UnsubscribeToken!)),
        });
    }

    private DeliveryRecord ToRecord(ClaimedDelivery d, SendOutcome outcome)
    {
        var attempts = d.Attempts + 1;
        switch (outcome.Result)
        {
            case SendResult.Sent:
                Volatile.Write(ref _consecutiveTemporary, 0);
                return new DeliveryRecord(d.Id, DeliveryStatus.Sent, attempts, null, null);
            case SendResult.RecipientRejected:
                LogRejected(_d.Logger, _digest.Number, d.Id, outcome.Error);
                return new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, outcome.Error, d.SubscriberId);
            case SendResult.Rejected:
                LogRejected(_d.Logger, _digest.Number, d.Id, outcome.Error);
                return new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, outcome.Error);
            case SendResult.Unavailable:
                RequestPause(outcome.Error ?? "the SMTP server is unavailable");
                return new DeliveryRecord(d.Id, DeliveryStatus.Queued, d.Attempts, null, outcome.Error);
            default:
                if (Interlocked.Increment(ref _consecutiveTemporary) >= _pauseAfterTemporaryFailures)
                {
                    // Everyone is failing: a server-wide problem, not this reader's. Stop spending attempts.
                    RequestPause($"{_pauseAfterTemporaryFailures} mails in a row failed temporarily; last: {outcome.Error}");
                }

                LogTemporary(_d.Logger, _digest.Number, d.Id, attempts, outcome.Error);
                return _d.Retry.ShouldRetry(attempts)
                    ? new DeliveryRecord(d.Id, DeliveryStatus.Queued, attempts, _d.Clock.GetUtcNow() + _d.Retry.DelayAfter(attempts), outcome.Error)
                    : new DeliveryRecord(d.Id, DeliveryStatus.Failed, attempts, null, outcome.Error);
        }
    }

    private void RequestPause(string reason) => Interlocked.CompareExchange(ref _pauseReason, reason, null);

    private void Record(DeliveryRecord record)
    {
        if (!_outcomes.Writer.TryWrite(record))
        {
            throw new InvalidOperationException("The recorder stopped before every outcome was written");
        }
    }

    private async Task RecordLoopAsync(CancellationTokenSource hard)
    {
        var reader = _outcomes.Reader;
        var buffer = new List<DeliveryRecord>(FlushSize);
        var firstAt = TimeSpan.Zero;
        try
        {
            while (true)
            {
                if (buffer.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(CancellationToken.None))
                    {
                        break;
                    }

                    firstAt = _elapsed.Elapsed;
                }

                while (buffer.Count < FlushSize && reader.TryRead(out var record))
                {
                    buffer.Add(record);
                }

                var age = _elapsed.Elapsed - firstAt;
                if (buffer.Count >= FlushSize || age >= FlushInterval || _pauseReason is not null)
                {
                    await FlushAsync(buffer);
                    continue;
                }

                var more = reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (await Task.WhenAny(more, Task.Delay(FlushInterval - age, CancellationToken.None)) == more && !await more)
                {
                    break;
                }
            }

            await FlushAsync(buffer);
        }
        catch (Exception e)
        {
            // Nothing else may be sent if outcomes cannot be recorded: stop every worker now.
            LogRecordFailed(_d.Logger, e, _issueId);
            await hard.CancelAsync();
            throw;
        }
    }

    private async Task FlushAsync(List<DeliveryRecord> buffer)
    {
        if (buffer.Count == 0)
        {
            return;
        }

        // Recording must not be cut short by a stop: these mails are out, and an unrecorded one goes twice.
        await _d.Store.RecordAsync(buffer, CancellationToken.None);
        Telemetry.NewsletterMetrics.Delivered(buffer.Select(r => r.BouncedSubscriberId is not null ? "bounced" : r.Status.ToString().ToLowerInvariant()));
        foreach (var r in buffer)
        {
            switch (r.Status)
            {
                case DeliveryStatus.Sent:
                    Interlocked.Increment(ref _sent);
                    break;
                case DeliveryStatus.Failed:
                    Interlocked.Increment(ref _failed);
                    break;
                case DeliveryStatus.Skipped:
                    Interlocked.Increment(ref _skipped);
                    break;
            }
        }

        Interlocked.Add(ref _inFlight, -buffer.Count);
        buffer.Clear();
        _recorded.Release();
    }

    private async Task ProgressLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_d.Options.ProgressInterval, _d.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                LogProgress(_d.Logger, Progress);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private TokenBucketRateLimiter? CreateLimiter()
    {
        var perSecond = _d.Smtp.MaxMessagesPerSecond;
        if (perSecond <= 0)
        {
            return null;
        }

        // Refill a tenth of the rate ten times a second (smoother than a burst once a second).
        var perPeriod = Math.Max(1, perSecond / 10);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)perPeriod / perSecond),
            QueueLimit = 1024,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private static async Task AcquireAsync(RateLimiter limiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            if (lease.IsAcquired)
            {
                return;
            }
        }
    }

    public void Dispose() => _recorded.Dispose();

    private static void LogProgress(ILogger logger, SendProgress p) =>
        LogProgressLine(logger, p.Number, p.Sent, p.Total, p.Failed, p.Skipped, p.RatePerSecond,
            p.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "-");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Issue #{Number}: {Sent}/{Total} sent, {Failed} failed, {Skipped} skipped, {Rate} mails/s, ETA {Eta}")]
    private static partial void LogProgressLine(ILogger logger, int number, int sent, int total, int failed, int skipped, double rate, string eta);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue #{Number}, delivery {DeliveryId}: refused for good: {Error}")]
    private static partial void LogRejected(ILogger logger, int number, long deliveryId, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Issue #{Number}, delivery {DeliveryId}: attempt {Attempt} failed temporarily: {Error}")]
    private static partial void LogTemporary(ILogger logger, int number, long deliveryId, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording delivery outcomes of issue {IssueId} failed; the send stops")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, long issueId);
}
