using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Newsletter.Clicks;

/// <summary>
/// Clicks between the redirect and the database: the redirect answers as soon as its click is
/// queued, and <see cref="ClickWriter"/> writes what has queued up in one transaction. Bounded by
/// Tracking:ClickBuffer: when the database falls that far behind, a redirect waits for room (the
/// database sets the pace, as it did before the queue) rather than memory growing or a click
/// being dropped.
/// </summary>
public sealed class ClickBuffer(IOptions<TrackingOptions> options)
{
    private readonly Channel<Item> _channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(options.Value.ClickBuffer)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    internal ChannelReader<Item> Reader => _channel.Reader;

    /// <summary>
    /// Queues a click; false once the writer has stopped (the host is stopping), when the caller
    /// writes it itself.
    /// </summary>
    public async ValueTask<bool> TryEnqueueAsync(PendingClick click, CancellationToken cancellationToken)
    {
        var item = new Item(click, null);
        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }

        try
        {
            await _channel.Writer.WriteAsync(item, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private volatile bool _writer;

    /// <summary>
    /// Completes when every click queued before this call is in the database (or the writer has stopped).
    /// At once in a process whose writer never started (a command such as `send-now`): it answered no
    /// redirect, so nothing of its own waits, and there is nobody to wait for.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!_writer)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _channel.Writer.WriteAsync(new Item(null, done), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Stopped: the writer drained the queue before it stopped.
            return;
        }

        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The writer (<see cref="ClickWriter"/>) runs in this process: a flush waits for it.</summary>
    internal void WriterStarted() => _writer = true;

    /// <summary>No more clicks: the writer drains what is queued and ends.</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    /// <summary>A click, or a flush waiting for the clicks before it.</summary>
    internal sealed record Item(PendingClick? Click, TaskCompletionSource? Flushed);
}
