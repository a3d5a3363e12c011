using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Validators;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// The micro-benchmarks: BenchmarkDotNet for single calls, a closed-loop client for the web front.
/// </summary>
internal static class MicroBenchmarks
{
    public const string RenderName = "render one personal digest (ours)";
    public const string SignName = "build + DKIM-sign one mail (ours)";

    public static async Task<IReadOnlyList<MicroResult>> RunAsync(SmtpSink sink, BenchSettings settings, SampleMessage sample, string artifacts)
    {
        var results = new List<MicroResult>();
        if (ProductMicroBenchmarks.IsWired)
        {
            BenchmarkRun.Progress("micro: the product's renderer and mail builder …");
            var summary = BenchmarkRunner.Run<ProductMicroBenchmarks>(Config(artifacts));
            results.Add(Result(summary, nameof(ProductMicroBenchmarks.RenderPersonalDigest), RenderName));
            results.Add(Result(summary, nameof(ProductMicroBenchmarks.BuildAndSignMail), SignName));
        }
        else
        {
            results.Add(new MicroResult(RenderName, null, ProductMicroBenchmarks.NotWired));
            results.Add(new MicroResult(SignName, null, ProductMicroBenchmarks.NotWired));
        }

        BenchmarkRun.Progress("micro: MimeKit build and DKIM sign …");
        StackMailBenchmarks.SamplePath = sample.EmlPath;
        var stack = BenchmarkRunner.Run<StackMailBenchmarks>(Config(artifacts));
        results.Add(Result(stack, nameof(StackMailBenchmarks.Build), "build one mail (MimeKit alone)"));
        results.Add(Result(stack, nameof(StackMailBenchmarks.BuildAndSign), "build + DKIM-sign one mail (MimeKit alone)"));

        BenchmarkRun.Progress($"micro: POST /subscribe for {settings.LoadSeconds} s …");
        results.Add(await SubscribeLoad.RunAsync(sink, settings));
        return results;
    }

    /// <summary>
    /// In-process and short: no generated project to build (it would inherit the repo's analyzers),
    /// and a few seconds per benchmark is plenty for calls of microseconds. BenchmarkDotNet's own
    /// log stays quiet; the run prints its table.
    /// </summary>
    private static ManualConfig Config(string artifacts)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3).WithIterationCount(10).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(NullLogger.Instance)
            .AddValidator(JitOptimizationsValidator.FailOnError)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        return config;
    }

    private static MicroResult Result(Summary summary, string method, string name)
    {
        var report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
        if (report?.ResultStatistics is not { } statistics)
        {
            return new MicroResult(name, null, "failed: see BenchmarkDotNet's validation errors");
        }

        var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        return new MicroResult(name, statistics.Mean / 1000, $"±{statistics.StandardError / 1000:0.0} µs, {allocated / 1024.0:N0} KB allocated per call");
    }
}
