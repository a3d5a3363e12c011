namespace Newsletter.Clicks;

/// <summary>
/// Writes <see cref="ClickBuffer"/> to the database: waits for a click, takes every one queued
/// since (up to <see cref="MaxBatch"/>) and writes them in one transaction, so a storm of clicks
/// costs a few writes a second, not one per click, and a quiet queue is written at once. Stops
/// after the web server (<see cref="IHostedLifecycleService.StoppedAsync"/>), so the clicks of the
/// last requests are drained too: a graceful stop loses none; a kill loses those still queued,
/// at most the clicks of the batch being written (well under a second's worth).
/// </summary>
public sealed partial class ClickWriter(ClickBuffer queue, IServiceScopeFactory scopes, ILogger<ClickWriter> logger) : IHostedLifecycleService, IDisposable
{
    /// <summary>Clicks per transaction: big enough that a storm is a few writes a second, small enough that one write stays short.</summary>
    public const int MaxBatch = 2_000;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // Cancelled only when the stop's own time runs out: until then a failing write is retried.
    private readonly CancellationTokenSource _abandon = new();
    private Task _loop = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        queue.WriterStarted();
        _loop = Task.Run(() => RunAsync(_abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abandon.CancelAsync();
        }
    }

    public void Dispose() => _abandon.Dispose();

    private async Task RunAsync(CancellationToken abandon)
    {
        var batch = new List<PendingClick>(MaxBatch);
        var flushes = new List<TaskCompletionSource>();
        try
        {
            while (await queue.Reader.WaitToReadAsync(abandon))
            {
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
                {
                    if (item.Click is { } click)
                    {
                        batch.Add(click);
                    }
                    else
                    {
                        flushes.Add(item.Flushed!);
                        break;
                    }
                }

                if (batch.Count > 0)
                {
                    await WriteAsync(batch, abandon);
                }

                batch.Clear();
                flushes.ForEach(f => f.TrySetResult());
                flushes.Clear();
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            var left = batch.Count;
            while (queue.Reader.TryRead(out var item))
            {
                left += item.Click is null ? 0 : 1;
                item.Flushed?.TrySetResult();
            }

            flushes.ForEach(f => f.TrySetResult());
            if (left > 0)
            {
                LogAbandoned(left);
            }
        }
    }

    private async Task WriteAsync(List<PendingClick> batch, CancellationToken abandon)
    {
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ClickRecorder>().RecordAsync(batch, abandon);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away (restarting, locked, full): the clicks stay queued, and
                // redirects go on until the queue is full.
                LogWriteFailed(e, batch.Count);
                await Task.Delay(RetryDelay, abandon);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} clicks; retrying")]
    private partial void LogWriteFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The stop ran out of time with {Count} clicks not written")]
    private partial void LogAbandoned(int count);
}
