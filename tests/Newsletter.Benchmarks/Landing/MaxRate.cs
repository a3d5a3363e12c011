using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Newsletter.Benchmarks.Landing;

/// <summary>
/// Each route's maximum requests/s after the send: 16 workers, each from its own address, each
/// sending its next request when the last is answered (like wrk), with the real links of the
/// mails in turn so no one reader's limit decides the figure.
/// </summary>
internal static class MaxRate
{
    private const int Workers = 16;
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    public static async Task<IReadOnlyList<string>> RunAsync(Uri product, IEnumerable<MailLinks> mails, TimeSpan duration)
    {
        var all = mails.ToArray();
        var tracked = all.SelectMany(m => m.Tracked).ToArray();
        var votes = all.SelectMany(m => m.Votes).ToArray();
        var unsubscribes = all.Select(m => m.Unsubscribe).OfType<string>().ToArray();
        var home = new Uri(product, "/").ToString();
        using var clients = new AddressedClients(Workers, 3);
        (string Route, Func<long, HttpRequestMessage> Make, int Ok)[] routes =
        [
            ("GET /", _ => Get(home), 200),
            ("GET /r/…", i => Get(tracked[i % tracked.Length]), 302),
            ("POST /vote", i => Post(votes[i % votes.Length], "choice", i % 2 == 0 ? "ship" : "skip"), 200),
            ("POST /unsubscribe (one-click)", i => Post(unsubscribes[i % unsubscribes.Length], "List-Unsubscribe", "One-Click"), 200),
        ];
        var rows = new List<string>();
        foreach (var (route, make, ok) in routes)
        {
            BenchmarkRun.Progress($"  maximum rate: {route} …");
            rows.Add(await LoadAsync(route, clients, make, ok, duration));
        }

        return rows;
    }

    private static async Task<string> LoadAsync(string route, AddressedClients clients, Func<long, HttpRequestMessage> make, int ok, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<int, int>();
        long next = 0;
        var warmUp = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            while (clock.Elapsed < warmUp + duration)
            {
                var started = Stopwatch.GetTimestamp();
                var counted = clock.Elapsed >= warmUp;
                using var request = make(Interlocked.Increment(ref next));
                using var response = await clients[w].SendAsync(request);
                await response.Content.LoadIntoBufferAsync();
                if (counted)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if ((int)response.StatusCode != ok)
                    {
                        errors.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    }
                }
            }
        })));
        var sorted = latencies.Order().ToArray();
        double P(double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"| {route} | {sorted.Length / duration.TotalSeconds:N0} | {P(0.5):0.0} | {P(0.99):0.0} | {errors.Values.Sum()}{(errors.IsEmpty ? "" : " (" + string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Value} × {e.Key}")) + ")")} |");
    }

    private static HttpRequestMessage Get(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
        return request;
    }

    private static HttpRequestMessage Post(string url, string name, string value)
    {
        var request = Get(url);
        request.Method = HttpMethod.Post;
        request.Content = new FormUrlEncodedContent([new KeyValuePair<string, string>(name, value)]);
        return request;
    }
}
