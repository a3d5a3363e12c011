using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Newsletter.Benchmarks.EndToEnd;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.Landing;

/// <summary>
/// Issue 28, "the minutes after a digest lands": the shipped process sends an issue to N readers
/// twice on one dumping smtp-sink, first alone, then while this program plays the two crowds with
/// the real links of the mails as they arrive: link scanners (every link of a share of the mails,
/// within a second of delivery, scanner agents, a few addresses) and readers at a fixed arrival
/// rate (a click, a vote page and vote, the web version, an unsubscribe page and one-click POST,
/// the home page; each from its own address). Then it checks that every reader click, vote and
/// unsubscribe that the rules count is in the database, and measures each route's maximum
/// requests/s in a separate closed-loop run.
/// </summary>
internal static class LandingRun
{
    public const string Part = "landing";

    private const string AdminKey = "benchmark-admin-key-0123456789";
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>Mails behind a link-scanning gateway: a corporate share of a list.</summary>
    private const double ScannerShare = 0.1;

    /// <summary>Reader sessions started per second, whatever the answers' pace (an open loop).</summary>
    private const int ReadersPerSecond = 100;

    private static readonly string[] ScannerAgents =
    [
        "Mozilla/5.0 (compatible; Microsoft Office SafeLinks)", "Proofpoint URL Defense", "Mimecast URL scan/1.0",
    ];

    public static async Task RunAsync(BenchSettings settings, TextWriter output)
    {
        var n = settings.Subscribers[0];
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var started = DateTime.UtcNow;
        await using var sink = await SmtpSink.StartAsync(dump: true);
        BenchmarkRun.Progress($"landing: the send alone, N={n:N0} …");
        var quiet = await SendAsync(n, sink, settings, storm: null);
        BenchmarkRun.Progress($"  {quiet.Rate:N0} mails/s");
        sink.Clear();

        BenchmarkRun.Progress($"landing: the send with scanners on {ScannerShare:P0} of the mails and {ReadersPerSecond} reader sessions/s …");
        var storm = new Storm();
        var loud = await SendAsync(n, sink, settings, storm);
        BenchmarkRun.Progress($"  {loud.Rate:N0} mails/s");

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## Landing (issue 28): N={n:N0}, {settings.Connections} SMTP connections, started {started:yyyy-MM-dd HH:mm} UTC, load average {load} before"));
        output.WriteLine();
        output.WriteLine("| send | mails/s | seconds | CPU s | peak RSS MB |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, s) in new[] { ("alone", quiet), ("during the storm", loud) })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {s.Rate:N0} | {s.Seconds:0.0} | {s.Cpu:0.0} | {s.Rss / 1048576.0:N0} |"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nSend during the storm / alone: {loud.Rate / quiet.Rate:0.00}× (goal 0.7×); peak RSS goal 300 MB."));
        output.WriteLine();
        output.WriteLine("| route (during the send) | requests | per s | p50 ms | p99 ms | errors |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in storm.Stats.Rows(loud.Seconds))
        {
            output.WriteLine(row);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nLoad generator: {storm.ClientCpu:0.0} CPU s over the storm; reader sessions started late by p99 {storm.LagP99:0.0} ms; {storm.Skipped} sessions found no delivered mail yet."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Counted in the database afterwards: clicks {storm.FoundClicks:N0} of {storm.ExpectedClicks:N0}, votes {storm.FoundVotes:N0} of {storm.ExpectedVotes:N0}, unsubscribes {storm.FoundUnsubscribes:N0} of {storm.ExpectedUnsubscribes:N0} answered as counted; {storm.Unanswered} more never answered (timeouts, which may or may not count){(storm.CountsMatch ? ": every answered one is there" : ": MISMATCH")}."));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| route (alone, 16 connections, closed loop, {settings.LoadSeconds} s) | requests/s | p50 ms | p99 ms | errors |"));
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var row in storm.MaxRows)
        {
            output.WriteLine(row);
        }
    }

    private static async Task<SendFigures> SendAsync(int n, SmtpSink sink, BenchSettings settings, Storm? storm)
    {
        await using var database = await TempDatabase.CreateAsync(n);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Newsletter"] = database.ConnectionString,
            ["Smtp__Connections"] = $"{settings.Connections}",
            ["Smtp__MaxMessagesPerSecond"] = "0",
            ["Digest__SendWhenEmpty"] = "true",
            ["Newsletter__AdminApiKey"] = AdminKey,
            ["Newsletter__From"] = SampleMessage.ProductFrom,

            // The maximum-rate run sends every vote from 16 addresses.
            ["Votes__VotesPerMinutePerIp"] = "100000",
        };
        await using var product = await ProductProcess.StartAsync(sink, environment);
        using var admin = new HttpClient { BaseAddress = product.BaseAddress };
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var cpuBefore = product.CpuSeconds;
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        (await admin.PostAsync(new Uri("/api/digests/send", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var stop = new CancellationTokenSource();
        var playing = storm is null ? Task.CompletedTask : storm.PlayAsync(sink.Folder, product.BaseAddress, stop.Token);
        while (await database.IssueStatusAsync() is not DigestIssueStatus.Sent)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(Math.Max(300, n / 100.0)))
            {
                throw new TimeoutException($"the issue is {await database.IssueStatusAsync()} after {clock.Elapsed.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }

        var figures = new SendFigures(
            (int)(await database.DeliveryCountsAsync()).GetValueOrDefault("Sent"), clock.Elapsed.TotalSeconds, product.CpuSeconds - cpuBefore, product.PeakRssBytes);
        await stop.CancelAsync();
        await playing;
        if (storm is not null)
        {
            storm.ClientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore).TotalSeconds;
            await storm.CheckAsync(admin, database.ConnectionString);
            storm.MaxRows = await MaxRate.RunAsync(product.BaseAddress, storm.ReadDelivered(), TimeSpan.FromSeconds(settings.LoadSeconds));
        }

        return figures with { Rss = product.PeakRssBytes };
    }

    private sealed record SendFigures(int Sent, double Seconds, double Cpu, long Rss)
    {
        public double Rate => Sent / Seconds;
    }

    /// <summary>The two crowds, and what they expect to find counted.</summary>
    private sealed class Storm
    {
        private readonly ConcurrentBag<Task> _requests = [];
        // Files of delivered mails, read (MimeKit) only when a crowd uses them: reading every mail as
        // it lands cost the generator more CPU than the storm it plays, on the product's two cores.
        private readonly ConcurrentQueue<string> _unread = new();
        private readonly ConcurrentQueue<string> _delivered = new();
        private readonly ConcurrentBag<double> _lags = [];
        // Per kind (click, vote, unsubscribe): answered as counted, and never answered (a timeout:
        // the server may or may not have counted it).
        private readonly int[] _expected = new int[3];
        private readonly int[] _unanswered = new int[3];

        public RouteStats Stats { get; } = new();

        /// <summary>The links of every mail delivered during the storm (for the maximum-rate run, after it).</summary>
        public IEnumerable<MailLinks> ReadDelivered() => _delivered.Select(MailLinks.Read).OfType<MailLinks>();

        public double ClientCpu { get; set; }

        public int Skipped { get; private set; }

        public double LagP99 => _lags.IsEmpty ? 0 : _lags.Order().ElementAt((int)Math.Ceiling(_lags.Count * 0.99) - 1);

        public int ExpectedClicks => _expected[0];

        public int ExpectedVotes => _expected[1];

        public int ExpectedUnsubscribes => _expected[2];

        public int Unanswered => _unanswered.Sum();

        public long FoundClicks { get; private set; }

        public long FoundVotes { get; private set; }

        public long FoundUnsubscribes { get; private set; }

        /// <summary>Every answered one is there, and nothing more than the unanswered ones might add.</summary>
        public bool CountsMatch =>
            Within(FoundClicks, 0) && Within(FoundVotes, 1) && Within(FoundUnsubscribes, 2);

        private bool Within(long found, int kind) => found >= _expected[kind] && found <= _expected[kind] + _unanswered[kind];

        public IReadOnlyList<string> MaxRows { get; set; } = [];

        public async Task PlayAsync(string folder, Uri product, CancellationToken stop)
        {
            using var scanners = new AddressedClients(12, 2);
            using var readers = new AddressedClients(2000, 1);
            await Task.WhenAll(WatchAsync(folder, scanners, stop), ReadAsync(readers, stop));
            await Task.WhenAll(_requests);
        }

        public async Task CheckAsync(HttpClient admin, string connectionString)
        {
            // The API writes this process's queued clicks first.
            using var issue = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/digests/1", UriKind.Relative)));
            FoundClicks = issue.RootElement.GetProperty("clicks").EnumerateArray().Sum(c => c.GetProperty("clicks").GetInt64());
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            FoundVotes = await ScalarAsync(connection, "SELECT COUNT(*) FROM Votes");
            FoundUnsubscribes = await ScalarAsync(connection, "SELECT COUNT(*) FROM Subscribers WHERE Status = 'Unsubscribed'");
        }

        private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)(await command.ExecuteScalarAsync())!;
        }

        /// <summary>Reads each mail as the sink finishes it; scanners open every link of a share of them within a second.</summary>
        private async Task WatchAsync(string folder, AddressedClients scanners, CancellationToken stop)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var count = 0;
            while (!stop.IsCancellationRequested)
            {
                var settled = DateTime.UtcNow.AddMilliseconds(-250);

                // Seen first: a stat per new file only, not per file of the folder every 50 ms.
                foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                {
                    if (seen.Contains(file) || File.GetLastWriteTimeUtc(file) > settled)
                    {
                        continue;
                    }

                    if (count % (int)(1 / ScannerShare) == 0)
                    {
                        if (MailLinks.Read(file) is not { } mail)
                        {
                            continue;
                        }

                        var scanner = scanners[count];
                        var agent = ScannerAgents[count % ScannerAgents.Length];
                        foreach (var link in mail.All)
                        {
                            var planned = Stopwatch.GetTimestamp() + (long)(Random.Shared.NextDouble() * Stopwatch.Frequency);
                            _requests.Add(SendAtAsync(planned, "scanner GET " + Route(link), scanner, HttpMethod.Get, link, agent, null, _ => { }));
                        }
                    }

                    count++;
                    seen.Add(file);
                    _delivered.Enqueue(file);
                    _unread.Enqueue(file);
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }

        /// <summary>Reader sessions at a fixed rate, each on a mail not read yet, from its own address.</summary>
        private async Task ReadAsync(AddressedClients readers, CancellationToken stop)
        {
            var start = Stopwatch.GetTimestamp();
            for (long k = 0; !stop.IsCancellationRequested; k++)
            {
                var planned = start + (k * Stopwatch.Frequency / ReadersPerSecond);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), planned);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None);
                }

                _lags.Add(Stopwatch.GetElapsedTime(planned).TotalMilliseconds);
                if (!_unread.TryDequeue(out var file) || MailLinks.Read(file) is not { } mail)
                {
                    Skipped++;
                    continue;
                }

                var client = readers[(int)k];
                _requests.Add((k % 20) switch
                {
                    < 10 when mail.Tracked.Count > 0 => SendAtAsync(planned, "GET /r/…", client, HttpMethod.Get, mail.Tracked[(int)(k % mail.Tracked.Count)], Chrome, null,
                        s => Count(s, 302, 0)),
                    < 14 when mail.Votes.Count > 0 => VoteAsync(planned, client, mail.Votes[(int)(k % mail.Votes.Count)]),
                    < 16 when mail.WebVersion is not null => SendAtAsync(planned, "GET /issues/1", client, HttpMethod.Get, mail.WebVersion, Chrome, null, _ => { }),
                    16 when mail.Unsubscribe is not null => UnsubscribeAsync(planned, client, mail.Unsubscribe),
                    _ => SendAtAsync(planned, "GET /", client, HttpMethod.Get, new Uri(new Uri(mail.All[0]), "/").ToString(), Chrome, null, _ => { }),
                });
            }
        }

        private async Task VoteAsync(long planned, HttpClient client, string link)
        {
            await SendAtAsync(planned, "GET /vote", client, HttpMethod.Get, link, Chrome, null, _ => { });
            await SendAtAsync(Stopwatch.GetTimestamp(), "POST /vote", client, HttpMethod.Post, link, Chrome, ("choice", "ship"), s => Count(s, 200, 1));
        }

        private async Task UnsubscribeAsync(long planned, HttpClient client, string link)
        {
            await SendAtAsync(planned, "GET /unsubscribe", client, HttpMethod.Get, link, Chrome, null, _ => { });

            // RFC 8058 one-click, as a mail client sends it.
            await SendAtAsync(Stopwatch.GetTimestamp(), "POST /unsubscribe (one-click)", client, HttpMethod.Post, link, Chrome, ("List-Unsubscribe", "One-Click"),
                s => Count(s, 200, 2));
        }

        private void Count(int status, int counted, int kind)
        {
            if (status == counted)
            {
                Interlocked.Increment(ref _expected[kind]);
            }
            else if (status < 0)
            {
                Interlocked.Increment(ref _unanswered[kind]);
            }
        }

        private async Task SendAtAsync(
            long planned, string route, HttpClient client, HttpMethod method, string url, string agent, (string Name, string Value)? field, Action<int> answered)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), planned);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            try
            {
                using var request = new HttpRequestMessage(method, url);
                request.Headers.TryAddWithoutValidation("User-Agent", agent);
                if (field is { } f)
                {
                    request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>(f.Name, f.Value)]);
                }

                using var response = await client.SendAsync(request);
                await response.Content.LoadIntoBufferAsync();
                var status = (int)response.StatusCode;
                answered(status);
                Stats.Add(route, planned, status is 200 or 302);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answered(-1);
                Stats.Add(route, planned, ok: false);
            }
        }

        private static string Route(string link) =>
            link.Contains("/r/", StringComparison.Ordinal) ? "/r/…" : new Uri(link).AbsolutePath;
    }
}
