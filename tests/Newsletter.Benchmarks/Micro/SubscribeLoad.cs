using System.Net;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// POST /subscribe under load: the real product process (Kestrel, database, confirmation mail to
/// the sink) against a closed-loop client on the same 2 cores, each request a new address.
/// </summary>
internal static class SubscribeLoad
{
    public const string Name = "POST /subscribe under load (ours)";

    /// <summary>Closed-loop clients: enough to keep 2 cores busy without measuring a queue.</summary>
    private const int Concurrency = 16;

    /// <summary>
    /// Settings the product needs for a load test, e.g. a per-address rate limit high enough that the
    /// run measures signups rather than 429s. The lead fills this in with the signup feature's keys.
    /// </summary>
    /// <remarks>
    /// The load comes from one IP, which the per-IP limit would answer with 429 after five posts:
    /// lifted to its maximum here, so the figure is the cost of a real signup (validation, the
    /// database write and the queued confirmation mail), not of a refusal.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> ProductEnvironment { get; } = new Dictionary<string, string>
    {
        ["Subscribers__SignupsPerMinutePerIp"] = "100000",
    };

    public static async Task<MicroResult> RunAsync(SmtpSink sink, BenchSettings settings)
    {
        await using var product = await ProductProcess.StartAsync(sink, ProductEnvironment);
        var url = new Uri(product.BaseAddress, "/subscribe");
        using (var client = new HttpClient())
        {
            using var probe = await client.PostAsync(url, Form(0));
            if (probe.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return new MicroResult(Name, null, "not yet wired: needs POST /subscribe");
            }
        }

        var load = await HttpLoad.RunAsync(url, Form, Concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(settings.LoadSeconds));
        return new MicroResult(Name, null, $"{load} with {Concurrency} clients for {settings.LoadSeconds} s");
    }

    private static FormUrlEncodedContent Form(long n) => new(
    [
        new("email", $"load{n}@bench.example"),
        new("name", $"Load {n}"),
        new("website", ""),
    ]);
}
