using System.Diagnostics;
using System.Text.Json;
using Newsletter.Benchmarks.Results;

namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>What one measured command cost, and the last JSON line it printed (its own timing).</summary>
internal sealed record ProcessCost(int ExitCode, double WallSeconds, double CpuSeconds, long PeakRssBytes, string Output, string Errors)
{
    /// <summary>The command's last stdout line that parses as a JSON object, if any.</summary>
    public JsonElement? Report()
    {
        foreach (var line in Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
        {
            if (line.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.Clone();
            }
        }

        return null;
    }

    /// <summary>Reads the {"mails","seconds"} line a client prints: its own clock leaves out start-up.</summary>
    public Measurement ToMeasurement(string name, string? note = null)
    {
        if ((ExitCode == 0 ? Report() : null) is not { } report)
        {
            // An unhandled .NET exception names itself on its first line; other clients end with the reason.
            var lines = Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var why = lines.FirstOrDefault(l => l.StartsWith("Unhandled exception", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "no output";
            return Measurement.Missing(name, $"exit {ExitCode}: {why}");
        }

        return new Measurement(name, report.GetProperty("mails").GetInt64(), report.GetProperty("seconds").GetDouble(), CpuSeconds, PeakRssBytes, note);
    }
}

/// <summary>
/// Runs a client as its own process under scripts/measure.py, so that CPU time and peak RSS are
/// read the same way for C, .NET, Node and Python, and none of them includes the harness itself.
/// </summary>
internal static class MeasuredProcess
{
    public static async Task<ProcessCost> RunAsync(
        string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var report = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(BenchPaths.Scripts, "measure.py"));
            start.ArgumentList.Add(report);
            start.ArgumentList.Add(file);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
            }

            using var cost = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            var root = cost.RootElement;
            return new ProcessCost(
                root.GetProperty("exitCode").GetInt32(),
                root.GetProperty("wallSeconds").GetDouble(),
                root.GetProperty("cpuSeconds").GetDouble(),
                root.GetProperty("peakRssBytes").GetInt64(),
                await output,
                await errors);
        }
        finally
        {
            File.Delete(report);
        }
    }
}
