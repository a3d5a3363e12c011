using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Benchmarks.Results;

namespace Newsletter.Benchmarks.Baselines;

/// <summary>
/// Postfix's smtp-source: a C load generator, so its rate is the sink's ceiling on this machine.
/// </summary>
internal static class SmtpSourceBaseline
{
    public const string Name = "smtp-source (sink ceiling)";
    public const string Executable = "/usr/sbin/smtp-source";

    public static async Task<Measurement> RunAsync(BaselineContext context)
    {
        // -d keeps each session's connection for the next message, as every other client does;
        // -F sends our message file (LF copy: smtp-source appends CRLF to each line it reads).
        var cost = await MeasuredProcess.RunAsync(Executable,
        [
            "-d", "-s", $"{context.Connections}", "-m", $"{context.Mails}",
            "-F", context.Sample.LfEmlPath, "-f", SampleMessage.From, "-t", SampleMessage.To,
            $"{context.Host}:{context.Port}",
        ], context.Timeout);
        if (cost.ExitCode != 0)
        {
            return Measurement.Missing(Name, $"exit {cost.ExitCode}: {cost.Errors.Trim()}");
        }

        // It prints no timing of its own; a C program's start-up is a millisecond of the wall time.
        return new Measurement(Name, context.Mails, cost.WallSeconds, cost.CpuSeconds, cost.PeakRssBytes, "no pipelining");
    }
}
