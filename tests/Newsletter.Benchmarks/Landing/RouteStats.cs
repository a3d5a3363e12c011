using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Newsletter.Benchmarks.Landing;

/// <summary>Latencies (from the request's planned time, so a late client counts against the server too) and errors per route.</summary>
internal sealed class RouteStats
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();

    public void Add(string route, long plannedTimestamp, bool ok)
    {
        _latencies.GetOrAdd(route, _ => []).Add(Stopwatch.GetElapsedTime(plannedTimestamp).TotalMilliseconds);
        if (!ok)
        {
            _errors.AddOrUpdate(route, 1, (_, n) => n + 1);
        }
    }

    public IEnumerable<string> Rows(double seconds)
    {
        foreach (var (route, bag) in _latencies.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var all = bag.Order().ToArray();
            double P(double p) => all[(int)Math.Min(all.Length - 1, Math.Ceiling(p * all.Length) - 1)];
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {route} | {all.Length:N0} | {all.Length / seconds:N0} | {P(0.5):0.0} | {P(0.99):0.0} | {_errors.GetValueOrDefault(route)} |");
        }
    }
}
