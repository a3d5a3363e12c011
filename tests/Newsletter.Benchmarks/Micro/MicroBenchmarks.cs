using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;

namespace Newsletter.Benchmarks.Micro;

internal static class MicroBenchmarks
{
    public const string RenderName = "render one personal digest (ours)";

    public static Task<IReadOnlyList<MicroResult>> RunAsync(SmtpSinkProcess sink, BenchSettings settings, SampleMessage sample) =>
        Task.FromResult<IReadOnlyList<MicroResult>>([]);
}
