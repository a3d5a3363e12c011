using System.Globalization;

namespace Newsletter.Benchmarks.Micro;

/// <summary>What a closed-loop HTTP load measured: throughput, latency percentiles, status codes.</summary>
internal sealed record LoadResult(long Requests, double Seconds, double P50Milliseconds, double P99Milliseconds, IReadOnlyDictionary<int, long> Statuses)
{
    public double RequestsPerSecond => Requests / Seconds;

    public override string ToString()
    {
        var statuses = string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value.ToString("N0", CultureInfo.InvariantCulture)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{RequestsPerSecond:N0} req/s, p50 {P50Milliseconds:0.00} ms, p99 {P99Milliseconds:0.00} ms ({statuses})");
    }
}
