using System.Diagnostics;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;

namespace Newsletter.Benchmarks.Baselines;

/// <summary>Node.js nodemailer with pool: true, the usual way Node sends a list.</summary>
internal static class NodemailerBaseline
{
    public const string Name = "nodemailer pool (Node.js)";

    /// <summary>Pinned so that reruns compare the same client; run.sh installs the same version.</summary>
    public const string Package = "nodemailer@10.6.0";

    private static string Modules => Path.Combine(BenchPaths.Cache, "node", "node_modules");

    public static async Task<Measurement> RunAsync(BaselineContext context)
    {
        if (!await EnsureInstalledAsync())
        {
            return Measurement.Missing(Name, $"npm could not install {Package}");
        }

        var cost = await MeasuredProcess.RunAsync("node",
        [
            Path.Combine(BenchPaths.Scripts, "nodemailer_pool.js"), context.Host, $"{context.Port}",
            $"{context.Connections}", $"{context.Mails}", context.Sample.EmlPath, SampleMessage.From, SampleMessage.To,
        ], context.Timeout, new Dictionary<string, string> { ["NODE_PATH"] = Modules });
        return cost.ToMeasurement(Name, "raw .eml");
    }

    private static async Task<bool> EnsureInstalledAsync()
    {
        if (File.Exists(Path.Combine(Modules, "nodemailer", "package.json")))
        {
            return true;
        }

        Console.Error.WriteLine($"Installing {Package} into {Path.GetDirectoryName(Modules)} …");
        var start = new ProcessStartInfo("npm") { UseShellExecute = false };
        foreach (var arg in (string[])["install", "--prefix", Path.GetDirectoryName(Modules)!, "--no-audit", "--no-fund", "--no-save", Package])
        {
            start.ArgumentList.Add(arg);
        }

        using var npm = Process.Start(start)!;
        await npm.WaitForExitAsync();
        return npm.ExitCode == 0;
    }
}
