using System.Threading.Channels;

namespace Newsletter.Data;

/// <summary>
/// Group commit for a write a request must see committed before it answers (a vote, an
/// unsubscribe): each request puts its write here and waits; one writer takes everything waiting
/// (up to a batch's size), does it all in ONE transaction through <see cref="CommitAsync"/>,
/// commits, and only then answers every waiter. A failed transaction faults them all, so each
/// request fails (5xx) and none is told "done" for a write that did not happen. On SQLite, one
/// writer means no requests fighting for the write lock (each waiting out busy_timeout's sleeps)
/// and one commit (one journal fsync) for many requests; on PostgreSQL, one round of statements
/// for many. While the writer is not running (a command-line run, before the start, after the
/// stop) a request commits its own write alone, the same way.
/// </summary>
public abstract partial class GroupCommit<TRequest, TResult> : IHostedLifecycleService, IDisposable
{
    // Cancelled only when the stop's own time runs out.
    private readonly CancellationTokenSource _abandon = new();
    private readonly Channel<Waiter> _channel;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private Task _loop = Task.CompletedTask;
    private volatile bool _running;

    /// <param name="maxBatch">Writes per transaction: enough that a crowd is a few commits, few enough that one holds the write lock briefly.</param>
    protected GroupCommit(IServiceScopeFactory scopes, ILogger logger, int maxBatch = 256)
    {
        _scopes = scopes;
        _logger = logger;
        _maxBatch = maxBatch;

        // Full: a request waits for room (the database sets the pace) rather than memory growing.
        _channel = Channel.CreateBounded<Waiter>(new BoundedChannelOptions(maxBatch * 8)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>
    /// Does <paramref name="batch"/> in one transaction of its own (begun and committed here) and
    /// returns one result per request, in order. Throws when nothing of it is committed.
    /// </summary>
    protected abstract Task<IReadOnlyList<TResult>> CommitAsync(IServiceProvider services, IReadOnlyList<TRequest> batch, CancellationToken cancellationToken);

    /// <summary>The request's result once its write is committed.</summary>
    public async Task<TResult> WriteAsync(TRequest request, CancellationToken cancellationToken)
    {
        if (_running)
        {
            var waiter = new Waiter(request);
            try
            {
                await _channel.Writer.WriteAsync(waiter, cancellationToken);

                // Not cancelled with the request: once queued, the write happens, and its answer is whatever it did.
                return await waiter.Done.Task;
            }
            catch (ChannelClosedException)
            {
                // Stopped meanwhile: alone, below.
            }
        }

        return (await CommitScopedAsync([request], cancellationToken))[0];
    }

    /// <summary>For the subclass's own log lines.</summary>
    protected ILogger Logger => _logger;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = true;
        _loop = Task.Run(() => RunAsync(_abandon.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the web server: the last requests' writes are committed before the process ends.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _running = false;
        _channel.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abandon.CancelAsync();
        }
    }

    public void Dispose()
    {
        _abandon.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task RunAsync(CancellationToken abandon)
    {
        var batch = new List<Waiter>(_maxBatch);
        while (await _channel.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < _maxBatch && _channel.Reader.TryRead(out var waiter))
            {
                batch.Add(waiter);
            }

            try
            {
                var results = await CommitScopedAsync([.. batch.Select(w => w.Request)], abandon);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                LogBatchFailed(e, batch.Count);
                batch.ForEach(w => w.Done.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private async Task<IReadOnlyList<TResult>> CommitScopedAsync(IReadOnlyList<TRequest> batch, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var results = await CommitAsync(scope.ServiceProvider, batch, cancellationToken);
        return results.Count == batch.Count ? results : throw new InvalidOperationException($"{GetType().Name} returned {results.Count} results for {batch.Count} requests");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} requests failed; each of them gets an error")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed class Waiter(TRequest request)
    {
        public TRequest Request { get; } = request;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
