using System.Diagnostics;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// A closed-loop HTTP client on loopback: each of <c>concurrency</c> workers sends its next request
/// as soon as the last one is answered, like wrk, but with bodies that differ per request (each
/// signup needs its own address) and no extra package to install.
/// </summary>
internal static class HttpLoad
{
    public static async Task<LoadResult> RunAsync(
        Uri url, Func<long, HttpContent> body, int concurrency, TimeSpan warmUp, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler);
        long next = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmUp;
        var end = warmUp + duration;

        async Task<(List<long> Latencies, Dictionary<int, long> Statuses)> Worker()
        {
            var latencies = new List<long>();
            var statuses = new Dictionary<int, long>();
            while (clock.Elapsed < end)
            {
                var started = Stopwatch.GetTimestamp();
                var counted = clock.Elapsed >= measureFrom;
                using var content = body(Interlocked.Increment(ref next));
                using var response = await client.PostAsync(url, content);
                await response.Content.LoadIntoBufferAsync();
                if (counted)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                    statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                }
            }

            return (latencies, statuses);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        var measured = clock.Elapsed - measureFrom;
        var all = results.SelectMany(r => r.Latencies).Order().ToArray();
        var statuses = results.SelectMany(r => r.Statuses).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[(int)Math.Min(all.Length - 1, Math.Ceiling(p * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(all.Length, measured.TotalSeconds, Percentile(0.50), Percentile(0.99), statuses);
    }
}
