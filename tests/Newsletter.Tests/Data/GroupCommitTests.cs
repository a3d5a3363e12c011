using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Data;

namespace Newsletter.Tests.Data;

/// <summary>
/// The group commit votes and unsubscribes go through: each request answered only after the
/// transaction holding its write, every request of a failed transaction failed.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task EachRequestGetsItsOwnResultAndRequestsWaitingTogetherShareOneTransaction()
    {
        using var commit = new Doubling();
        await commit.StartAsync(CancellationToken.None);
        var gate = commit.HoldNext();
        var first = commit.WriteAsync(1, CancellationToken.None);
        await commit.Entered.Task;

        // While the first transaction runs, ten more come: they wait together.
        var rest = Enumerable.Range(2, 10).Select(i => commit.WriteAsync(i, CancellationToken.None)).ToList();
        Assert.All(rest, t => Assert.False(t.IsCompleted));
        gate.SetResult();

        Assert.Equal(2, await first);
        Assert.Equal(Enumerable.Range(2, 10).Select(i => i * 2), await Task.WhenAll(rest));
        Assert.Equal([[1], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]], commit.Batches);
    }

    [Fact]
    public async Task WhenATransactionFailsEveryRequestInItFailsAndTheOthersDoNot()
    {
        using var commit = new Doubling();
        await commit.StartAsync(CancellationToken.None);
        var gate = commit.HoldNext();
        var first = commit.WriteAsync(1, CancellationToken.None);
        await commit.Entered.Task;
        var failing = new[] { 2, -3, 4 }.Select(i => commit.WriteAsync(i, CancellationToken.None)).ToList();
        gate.SetResult();

        Assert.Equal(2, await first);
        foreach (var request in failing)
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => request);
            Assert.Equal("no negatives", e.Message);
        }

        // The writer goes on.
        Assert.Equal(10, await commit.WriteAsync(5, CancellationToken.None));
        Assert.Equal([[1], [2, -3, 4], [5]], commit.Batches);
    }

    [Fact]
    public async Task BeforeTheStartAndAfterTheStopARequestCommitsAloneAndTheStopDrainsWhatWaits()
    {
        using var commit = new Doubling();
        Assert.Equal(2, await commit.WriteAsync(1, CancellationToken.None));

        await commit.StartAsync(CancellationToken.None);
        var gate = commit.HoldNext();
        var running = commit.WriteAsync(2, CancellationToken.None);
        await commit.Entered.Task;
        var waiting = commit.WriteAsync(3, CancellationToken.None);
        var stopped = commit.StoppedAsync(CancellationToken.None);
        gate.SetResult();
        await stopped;

        Assert.Equal((4, 6), (await running, await waiting));
        Assert.Equal(8, await commit.WriteAsync(4, CancellationToken.None));
        Assert.Equal([[1], [2], [3], [4]], commit.Batches);
    }

    /// <summary>Doubles each number; a batch with a negative one fails as a whole, like a rolled-back transaction.</summary>
    private sealed class Doubling() : GroupCommit<int, int>(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), NullLogger.Instance)
    {
        public List<int[]> Batches { get; } = [];

        /// <summary>Set when the held transaction has begun.</summary>
        public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private TaskCompletionSource? Gate { get; set; }

        /// <summary>The next transaction waits until the returned source is set.</summary>
        public TaskCompletionSource HoldNext()
        {
            Entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return Gate;
        }

        protected override async Task<IReadOnlyList<int>> CommitAsync(IServiceProvider services, IReadOnlyList<int> batch, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. batch]);
            }

            if (Gate is { } gate)
            {
                Gate = null;
                Entered.TrySetResult();
                await gate.Task;
            }

            return batch.Any(i => i < 0) ? throw new InvalidOperationException("no negatives") : [.. batch.Select(i => i * 2)];
        }
    }
}
