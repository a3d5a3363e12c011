using System.Globalization;
using Newsletter.Benchmarks.Baselines;

namespace Newsletter.Benchmarks.Results;

/// <summary>The goals of issue 6, each judged from this run's figures only (tests time nothing).</summary>
internal static class Goals
{
    private const int Million = 1_000_000;
    private const int Default = 20_000;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(RunResults results, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("## Goals");
        output.WriteLine();
        output.WriteLine("| goal | figure | status |");
        output.WriteLine("| --- | --- | --- |");
        foreach (var (goal, figure, status) in Judge(results))
        {
            output.WriteLine($"| {goal} | {figure} | {status} |");
        }
    }

    private static IEnumerable<(string Goal, string Figure, string Status)> Judge(RunResults results)
    {
        yield return RatioGoal("ours ≥ 80% of the bare MailKit loop", results, results.Baseline(BareMailKitBaseline.Name), 0.8);
        yield return RatioGoal("ours ≥ 2× nodemailer's pool", results, results.Baseline(NodemailerBaseline.Name), 2.0);

        var million = results.Ours.FirstOrDefault(o => o.Subscribers == Million && o.Send.Measured);
        var small = results.Ours.FirstOrDefault(o => o.Subscribers == Default && o.Send.Measured);
        var runBoth = results.Ours.FirstOrDefault(o => !o.Send.Measured)?.Send.Note is { } why
            ? $"not measured ({why})"
            : "not measured (run with --n 20000,1000000)";
        yield return million?.MakeIssueSeconds is { } make
            ? ("making an issue for 1,000,000 subscribers ≤ 5 s", $"{make.ToString("0.00", Invariant)} s", Met(make <= 5))
            : ("making an issue for 1,000,000 subscribers ≤ 5 s", "—", runBoth);

        if (million?.Send.PeakRssBytes is { } big && small?.Send.PeakRssBytes is { } little)
        {
            var growth = (double)big / little - 1;
            yield return ("peak RSS ≤ 300 MB at 1,000,000 and within 20% of the 20,000 run",
                $"{ResultsTable.Mb(big)} vs {ResultsTable.Mb(little)} ({growth.ToString("+0%;-0%", Invariant)})",
                Met(big <= 300L * 1024 * 1024 && growth <= 0.2));
        }
        else
        {
            yield return ("peak RSS ≤ 300 MB at 1,000,000 and within 20% of the 20,000 run", "—", runBoth);
        }

        var render = results.Micro.FirstOrDefault(m => m.Name == Micro.MicroBenchmarks.RenderName);
        yield return render?.MeanMicroseconds is { } us
            ? ("rendering a personal digest ≤ 50 µs", $"{us.ToString("N1", Invariant)} µs", Met(us <= 50))
            : ("rendering a personal digest ≤ 50 µs", "—", $"not measured ({render?.Detail ?? "micro-benchmarks not run"})");
    }

    private static (string, string, string) RatioGoal(string goal, RunResults results, Measurement? other, double needed)
    {
        var ours = results.OursForRatio;
        if (ours is null || other is null)
        {
            var why = ours is null
                ? results.Ours.FirstOrDefault()?.Send.Note ?? "end to end not run"
                : "baseline not run";
            return (goal, "—", $"not measured ({why})");
        }

        var ratio = ours.MailsPerSecond / other.MailsPerSecond;
        return (goal, $"{ours.MailsPerSecond.ToString("N0", Invariant)}/s vs {other.MailsPerSecond.ToString("N0", Invariant)}/s = {ratio.ToString("0.00", Invariant)}×", Met(ratio >= needed));
    }

    private static string Met(bool met) => met ? "met" : "NOT met";
}
