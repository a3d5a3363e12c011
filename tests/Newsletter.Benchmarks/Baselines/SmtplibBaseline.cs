using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;

namespace Newsletter.Benchmarks.Baselines;

/// <summary>Python's standard smtplib: one process per connection, each with its own SMTP session.</summary>
internal static class SmtplibBaseline
{
    public const string Name = "Python smtplib (1 process/conn)";

    public static async Task<Measurement> RunAsync(BaselineContext context)
    {
        var cost = await MeasuredProcess.RunAsync("python3",
        [
            Path.Combine(BenchPaths.Scripts, "smtplib_workers.py"), context.Host, $"{context.Port}",
            $"{context.Connections}", $"{context.Mails}", context.Sample.EmlPath, SampleMessage.From, SampleMessage.To,
        ], context.Timeout);

        // ru_maxrss is the largest single process: one worker (or the parent), not their sum.
        return cost.ToMeasurement(Name, "RSS: largest process");
    }
}
