using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// Ours, end to end: a fresh database with N confirmed subscribers, then the product makes an issue
/// and sends it to the sink in a child process, then the delivery rows are counted.
/// </summary>
internal static class EndToEndRun
{
    public const string ChildName = "e2e";

    public static async Task<EndToEndResult> RunAsync(int subscribers, SmtpSink sink, BenchSettings settings)
    {
        await using var database = await TempDatabase.CreateAsync(subscribers);
        BenchmarkRun.Progress($"  database with {subscribers:N0} confirmed subscribers made in {database.SeedTime.TotalSeconds:0.0} s");
        var name = $"ours, N={subscribers:N0}";
        if (!ProductSend.IsWired)
        {
            return new EndToEndResult(subscribers, Measurement.Missing(name, ProductSend.NotWired), null, database.SeedTime.TotalSeconds);
        }

        // Generous: a million mails at a few hundred per second still finishes.
        var timeout = TimeSpan.FromSeconds(Math.Max(300, subscribers / 100.0));
        var cost = await ChildProcess.RunAsync(
            [ChildName, database.Path, sink.Host, $"{sink.Port}", $"{settings.Connections}"], timeout);
        var send = cost.ToMeasurement(name, "CPU and RSS: whole process");
        var make = cost.Report() is { } report && report.TryGetProperty("makeIssueSeconds", out var m) ? m.GetDouble() : (double?)null;
        if (!send.Measured)
        {
            return new EndToEndResult(subscribers, send, make, database.SeedTime.TotalSeconds);
        }

        // Every recipient must have a row that says Sent: a fast send that lost rows is no result.
        var counts = await database.DeliveryCountsAsync();
        var deliveries = "rows: " + string.Join(", ", counts.Select(c => $"{c.Value:N0} {c.Key}"));
        if (counts.GetValueOrDefault("Sent") != subscribers)
        {
            deliveries += $" (expected {subscribers:N0} Sent)";
        }

        return new EndToEndResult(subscribers, send, make, database.SeedTime.TotalSeconds, deliveries);
    }

    /// <summary>The child's side: make the issue, send it, print the timings for the parent.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var settings = new ProductSettings(args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        await using var product = await ProductSend.StartAsync(settings, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var issue = await product.MakeIssueAsync(CancellationToken.None);
        var makeIssueSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        await product.SendAsync(issue, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new { mails = issue.Recipients, seconds = clock.Elapsed.TotalSeconds, makeIssueSeconds }));
        return 0;
    }
}
