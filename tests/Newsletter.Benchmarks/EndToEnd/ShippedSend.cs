using System.Diagnostics;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// The product as a user runs it (issue 14): `Newsletter.dll run` with Kestrel, Quartz and the
/// background engine on, over a database with N confirmed subscribers; the send is started by
/// `POST /api/digests/send` and timed from that request to the issue marked Sent (every delivery
/// recorded), read from the database; polling that row costs nothing, where counting a million
/// delivery rows every 50 ms took CPU from the send. CPU is the process's own over that span; peak RSS
/// is the process's high-water mark (start-up included). With a key file, every mail is DKIM-signed.
/// </summary>
internal static class ShippedSend
{
    private const string AdminKey = "benchmark-admin-key-0123456789";

    public static string Name(int subscribers, bool signed) =>
        $"ours as shipped{(signed ? ", DKIM" : "")}, N={subscribers:N0}";

    /// <summary>Issue 23's row: the same send to a list where every reader chose one of eight selections.</summary>
    public static string SelectionsName(int subscribers) =>
        $"ours as shipped, {SelectiveReaders.Selections.Count} selections, N={subscribers:N0}";

    /// <summary>The send; with <paramref name="chooseEvery"/> &gt; 0, every that many-th reader chose (see <see cref="SelectiveReaders"/>).</summary>
    public static async Task<Measurement> RunAsync(int subscribers, SmtpSink sink, BenchSettings settings, string? dkimKeyFile, int chooseEvery = 0)
    {
        var name = chooseEvery > 0 ? SelectionsName(subscribers) : Name(subscribers, dkimKeyFile is not null);
        await using var database = await TempDatabase.CreateAsync(subscribers, chooseEvery);
        BenchmarkRun.Progress($"  database with {subscribers:N0} confirmed subscribers made in {database.SeedTime.TotalSeconds:0.0} s");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Newsletter"] = database.ConnectionString,
            ["Smtp__Connections"] = $"{settings.Connections}",
            ["Smtp__MaxMessagesPerSecond"] = "0",
            ["Digest__SendWhenEmpty"] = "true",
            ["Newsletter__AdminApiKey"] = AdminKey,
            ["Newsletter__From"] = SampleMessage.ProductFrom,
        };
        if (dkimKeyFile is not null)
        {
            environment["Dkim__Domain"] = "bench.example";
            environment["Dkim__Selector"] = "bench";
            environment["Dkim__PrivateKeyPath"] = dkimKeyFile;
        }

        await using var product = await ProductProcess.StartAsync(sink, environment);
        using var client = new HttpClient { BaseAddress = product.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var cpuBefore = product.CpuSeconds;
        var clock = Stopwatch.StartNew();
        using (var response = await client.PostAsync(new Uri("/api/digests/send", UriKind.Relative), null))
        {
            if (!response.IsSuccessStatusCode)
            {
                return Measurement.Missing(name, $"POST /api/digests/send answered {(int)response.StatusCode}");
            }
        }

        // Generous: a million mails at a few hundred per second still finishes. The product marks the
        // issue Sent once no delivery is queued or being sent: the end of the send as a user sees it.
        var deadline = TimeSpan.FromSeconds(Math.Max(300, subscribers / 100.0));
        while (await database.IssueStatusAsync() is not DigestIssueStatus.Sent)
        {
            if (clock.Elapsed > deadline)
            {
                return Measurement.Missing(name, $"the issue is {await database.IssueStatusAsync()} after {deadline.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = product.CpuSeconds - cpuBefore;
        var rss = product.PeakRssBytes;
        var counts = await database.DeliveryCountsAsync();
        var rows = "rows: " + string.Join(", ", counts.Select(c => $"{c.Value:N0} {c.Key}"));
        return new Measurement(name, counts.GetValueOrDefault("Sent"), seconds, cpu, rss,
            $"request to issue marked sent; CPU of the send, RSS peak of the process; {rows}");
    }
}
