using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>`send-now` as an operator runs it, killed hard in the middle of a send and run again.</summary>
public class SendNowCommandTests : IDisposable
{
    private const int BatchSize = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-send-now-").FullName;
    private TestDatabase? _database;

    /// <summary>The database the commands of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private TestDatabase Database => _database ??= new TestDatabase(Provider, _folder);

    [Fact]
    public async Task AKilledSendResumedMissesNobodyAndRepeatsAtMostTheMailsInFlight()
    {
        var env = Database.Environment();
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Security"] = "None";
        env["Smtp__Connections"] = "2";
        env["Delivery__BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The killed process keeps the sender lease until it runs out: the restart waits that long.
        env["Delivery__LeaseDuration"] = "00:00:03";
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], env)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(["import", SampleComparisons.Folder], env)).ExitCode);
        var readers = await AddReadersAsync(Database, 30);

        // Each DATA is answered after a second: two connections send about two mails a second.
        await using var slow = await SmtpSink.StartAsync("-w", "1");
        env["Smtp__Port"] = slow.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var first = CliProcess.Start(["send-now"], env))
        {
            var output = Task.WhenAll(first.StandardOutput.ReadToEndAsync(), first.StandardError.ReadToEndAsync());
            // A bound, not a wait: on a loaded machine the process alone can take half a minute to start.
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (Accepted(slow).Count < 4 && !first.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            if (first.HasExited)
            {
                Assert.Fail("send-now ended before it could be killed: " + string.Join("\n", await output));
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            Assert.True(Accepted(slow).Count >= 4, "send-now sent fewer than 4 mails in 120 s: " + string.Join("\n", await output));
        }

        await slow.StopAsync();
        var inFlight = (await DeliveriesAsync(Database)).Where(d => d.Status == "Sending").Select(d => d.SubscriberId!.Value).ToHashSet();
        var beforeKill = Accepted(slow);
        Assert.InRange(beforeKill.Count, 4, readers.Count - 1);
        Assert.InRange(inFlight.Count, 1, 2 * BatchSize);

        await using var fast = await SmtpSink.StartAsync();
        env["Smtp__Port"] = fast.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var second = await CliProcess.RunAsync(["send-now"], env);

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Issue #1 (slot", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("already exists", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Issue #1 sent: 30 sent, 0 failed, 0 skipped", second.Stdout, StringComparison.Ordinal);
        // The killed process's claims go back to the queue, and the log says so: when the new process
        // takes its lease, or, where instances send side by side (PostgreSQL) and the dead one's lease
        // had not yet run out at that moment, at the first renewal after it does.
        Assert.True(
            second.Stderr.Contains("were in flight when the last send stopped", StringComparison.Ordinal)
            || second.Stderr.Contains("claimed by a sender whose lease expired go back to the queue", StringComparison.Ordinal),
            "no log line says the mails in flight went back to the queue:\n" + second.Stderr);
        var all = beforeKill.Concat(fast.Messages()).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), all.Distinct().Order());
        var repeated = all.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.All(repeated, email => Assert.Contains(readers.Single(r => r.Email == email).Id, inFlight));
        Assert.True(all.Count - readers.Count <= inFlight.Count, $"{all.Count - readers.Count} repeats, {inFlight.Count} in flight");
        Assert.Equal(1, await ScalarAsync<int>(Database, "SELECT COUNT(*) FROM Issues"));
        Assert.Equal(30, await ScalarAsync<int>(Database, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
    }

    [Fact]
    public async Task AKillAtFullSpeedRepeatsAtMostTwoMailsPerConnection()
    {
        const int connections = 4;
        var env = Database.Environment();
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Security"] = "None";
        env["Smtp__Connections"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Smtp__MaxMessagesPerSecond"] = "400";
        env["Delivery__LeaseDuration"] = "00:00:03";
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], env)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(["import", SampleComparisons.Folder], env)).ExitCode);
        var readers = await AddReadersAsync(Database, 1500);

        // Outcomes are recorded as they come, a mail's record durable before its connection sends the
        // mail after next: whatever the batch size, a kill repeats at most two mails per connection.
        await using var first = await SmtpSink.StartAsync();
        env["Smtp__Port"] = first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var sending = CliProcess.Start(["send-now"], env))
        {
            var output = Task.WhenAll(sending.StandardOutput.ReadToEndAsync(), sending.StandardError.ReadToEndAsync());
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (Directory.GetFiles(first.Folder).Length < 300 && !sending.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.False(sending.HasExited, "send-now ended before it could be killed: " + string.Join("\n", await output));
            sending.Kill(entireProcessTree: true);
            await sending.WaitForExitAsync();
            await output;
        }

        await first.StopAsync();
        var beforeKill = Accepted(first);
        await using var second = await SmtpSink.StartAsync();
        env["Smtp__Port"] = second.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Smtp__MaxMessagesPerSecond"] = "0";
        var resumed = await CliProcess.RunAsync(["send-now"], env, TimeSpan.FromSeconds(120));

        // The resumed process has exited: every mail it handed over was acknowledged, so in the sink.
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var all = beforeKill.Concat(second.Messages()).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), all.Distinct().Order());
        var repeats = all.Count - readers.Count;
        Assert.True(repeats <= 2 * connections, $"{repeats} mails went twice; at most {2 * connections} may");
    }

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same kills on PostgreSQL, through its delivery store and lease.</summary>
public sealed class SendNowCommandOnPostgresTests : SendNowCommandTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
