using System.Globalization;
using Newsletter.Benchmarks.Baselines;
using Newsletter.Benchmarks.EndToEnd;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Micro;
using Newsletter.Benchmarks.Results;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks;

/// <summary>
/// One run: one sink and one message for every client, then the table and the goals. Progress goes
/// to stderr and the tables to stdout, so `> results.md` keeps only the figures.
/// </summary>
internal static class BenchmarkRun
{
    public const string Baselines = "baselines";
    public const string EndToEnd = "e2e";
    public const string Micro = "micro";
    public const string Cluster = "cluster";

    /// <summary>Issue 23: the shipped send with eight selections, and the issue made for a list where some chose.</summary>
    public const string Selections = "selections";

    /// <summary>Issue 14: the `run` process started over HTTP, DKIM off and on, with the references it is judged by.</summary>
    public const string Shipped = "shipped";

    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output)
    {
        // Other work on the same 2 cores moves every figure; the load average says how much there was.
        var loadBefore = LoadAverage();
        if (loadBefore > Environment.ProcessorCount * 0.75)
        {
            Progress($"warning: load average {loadBefore:0.00} before the run: other work shares the cores, figures will be low and noisy");
        }

        // Issue 28's landing scenario: its own sink (it reads the mails) and its own tables; run alone.
        if (settings.Only == Landing.LandingRun.Part)
        {
            await Landing.LandingRun.RunAsync(settings, output);
            return 0;
        }

        var work = Directory.CreateTempSubdirectory("newsletter-bench-");
        try
        {
            var results = new RunResults { Sample = await SampleMessage.WriteAsync(work.FullName) };

            // One DKIM key for the signed product and the signing reference loop.
            var keyFile = Path.Combine(work.FullName, "dkim.pem");
            using (var rsa = System.Security.Cryptography.RSA.Create(2048))
            {
                await File.WriteAllTextAsync(keyFile, rsa.ExportRSAPrivateKeyPem());
            }

            Progress($"sample message: {results.Sample.Size:N0} bytes");
            await using (var sink = await SmtpSink.StartAsync(dump: false))
            {
                Progress($"smtp-sink on {sink.Host}:{sink.Port}");
                if (settings.Runs(Baselines) || settings.Runs(Shipped))
                {
                    await RunBaselinesAsync(settings, sink, results, keyFile);
                }

                if (settings.Runs(Shipped))
                {
                    foreach (var n in settings.Subscribers)
                    {
                        foreach (var key in new[] { null, keyFile })
                        {
                            Progress($"{ShippedSend.Name(n, key is not null)} …");
                            var shipped = await ShippedSend.RunAsync(n, sink, settings, key);
                            results.Shipped.Add((n, key is not null, shipped));
                            Progress(shipped.Measured ? $"  {shipped.MailsPerSecond:N0} mails/s in {shipped.Seconds:0.0} s" : $"  not measured: {shipped.Note}");
                        }
                    }
                }

                // With the shipped rows (or alone): the first N only, as the rows compare with its shipped row.
                if (settings.Runs(Shipped) || settings.Only == Selections)
                {
                    var n = settings.Subscribers[0];
                    Progress($"{ShippedSend.SelectionsName(n)} …");
                    var send = await ShippedSend.RunAsync(n, sink, settings, dkimKeyFile: null, chooseEvery: 1);
                    results.Selections.Add(send);
                    Progress(send.Measured ? $"  {send.MailsPerSecond:N0} mails/s in {send.Seconds:0.0} s" : $"  not measured: {send.Note}");
                    Progress($"issue made for N={settings.MakeSubscribers:N0}, 1 in {SelectiveMake.ChooseEvery} choosing, {settings.MakeHistory} issues before it …");
                    var make = await SelectiveMake.RunAsync(settings.MakeSubscribers, settings.MakeHistory, sink, settings);
                    results.SelectiveMakes.Add(make);
                    Progress(make.Seconds is { } s ? $"  {s:0.00} s; {make.Note}" : $"  {make.Note}");
                }

                if (settings.Runs(EndToEnd))
                {
                    foreach (var n in settings.Subscribers)
                    {
                        Progress($"ours: end to end, N={n:N0} …");
                        results.Ours.Add(await EndToEndRun.RunAsync(n, sink, settings));
                    }
                }

                if (settings.Runs(Cluster))
                {
                    // The first N only: two PostgreSQL sends per N (one instance, then two).
                    results.Cluster.AddRange(await ClusterRun.RunAsync(settings.Subscribers[0], sink, settings));
                }

                if (settings.Runs(Micro))
                {
                    results.Micro.AddRange(await MicroBenchmarks.RunAsync(sink, settings, results.Sample, work.FullName));
                }
            }

            ResultsTable.Print(results, settings, output);
            Goals.Print(results, output);
            ShippedGoals.Print(results, output);
            SelectionResults.Print(results, output);
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Machine: {Environment.ProcessorCount} cores, {MemoryGiB():0.0} GiB; load average {loadBefore:0.00} before, {LoadAverage():0.00} after; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd}."));
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task RunBaselinesAsync(BenchSettings settings, SmtpSink sink, RunResults results, string keyFile)
    {
        var context = new BaselineContext(sink.Host, sink.Port, settings.Connections, settings.Mails, results.Sample!);
        (string Name, Func<BaselineContext, Task<Measurement>> Run)[] baselines =
        [
            (SmtpSourceBaseline.Name, SmtpSourceBaseline.RunAsync),
            (BareMailKitBaseline.Name, BareMailKitBaseline.RunAsync),
            (SigningMailKitBaseline.Name, c => SigningMailKitBaseline.RunAsync(c, keyFile)),
            (NodemailerBaseline.Name, NodemailerBaseline.RunAsync),
            (SmtplibBaseline.Name, SmtplibBaseline.RunAsync),
        ];
        // Round by round rather than client by client, so that a slow spell of this shared machine
        // falls on every client alike; each client's figure is the median of its rounds.
        var runs = baselines.ToDictionary(b => b.Name, _ => new List<Measurement>());
        for (var round = 1; round <= settings.Repeats; round++)
        {
            foreach (var (name, run) in baselines)
            {
                Progress($"{name}: {settings.Mails:N0} mails over {settings.Connections} connections (round {round} of {settings.Repeats}) …");
                var measurement = await run(context);
                runs[name].Add(measurement);
                Progress(measurement.Measured
                    ? $"  {measurement.MailsPerSecond:N0} mails/s in {measurement.Seconds:0.0} s"
                    : $"  not measured: {measurement.Note}");
            }
        }

        results.Baselines.AddRange(baselines.Select(b => Measurement.Median(runs[b.Name])));
    }

    public static void Progress(string line) => Console.Error.WriteLine(line);

    /// <summary>The 1-minute load average from /proc/loadavg.</summary>
    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static double MemoryGiB()
    {
        // MemTotal from /proc/meminfo: what `free` calls total, in KiB.
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024;
    }
}
