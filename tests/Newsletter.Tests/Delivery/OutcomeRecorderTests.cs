using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// The promise behind "a kill repeats at most two mails per connection": when a connection's wait for
/// an outcome returns, that outcome is in the database, whether the recorder's loop commits it or the
/// connection does.
/// </summary>
public sealed class OutcomeRecorderTests
{
    [Fact]
    public async Task AConnectionWaitingForItsOutcomeFindsItDurableWithOrWithoutTheRecordersLoop()
    {
        using var app = new NewsletterApp();
        var (store, issue, claimed) = await ClaimedByTestEngineAsync(app, "recorded", readers: 6, claim: 4);
        using var recorder = new OutcomeRecorder(store.Queue, new SendCounters(issue.Id, issue.Number, new DeliveryCounts(0, 0, 0, 0, 0)), issue.Id, 4, NullLogger.Instance);
        recorder.Expect(claimed.Count);

        // One outcome of a round of four, and the recorder's loop not even started: nobody commits it yet.
        var first = recorder.Add([new DeliveryRecord(claimed[0].Id, DeliveryStatus.Sent, 1, null, null)]);
        Assert.False(first.IsCompleted);
        Assert.Equal(0, await ScalarAsync<int>(app.Folder, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));

        // The connection that needs it durable before its next mail makes it so.
        await Task.Run(() => recorder.WaitDurable(first)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(claimed[0].Id, await ScalarAsync<long>(app.Folder, "SELECT Id FROM Deliveries WHERE Status = 'Sent'"));

        // With the loop: three connections wait while the rest of the round comes in; every outcome is in once.
        using var hard = new CancellationTokenSource();
        var loop = Task.Run(() => recorder.RunAsync(hard));
        var rest = claimed.Skip(1).Select(d => recorder.Add([new DeliveryRecord(d.Id, DeliveryStatus.Sent, 1, null, null)])).ToList();
        await Task.WhenAll(rest.Select(r => Task.Run(() => recorder.WaitDurable(r)))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, await ScalarAsync<int>(app.Folder, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
        Assert.Equal(0, recorder.Unrecorded);
        Assert.Equal(4, recorder.Statistics.Records);

        recorder.Complete();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
