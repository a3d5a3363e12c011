using System.Globalization;
using Newsletter.Benchmarks.Infrastructure;

namespace Newsletter.Benchmarks.Results;

/// <summary>Prints the run as Markdown tables, so they paste into the READMEs as they are.</summary>
internal static class ResultsTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(RunResults results, BenchSettings settings, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"## Sending ({settings.Connections} connections, one smtp-sink on loopback, {results.Sample?.Size.ToString("N0", Invariant)}-byte message, {Environment.ProcessorCount} cores)");
        output.WriteLine();
        output.WriteLine("| client | mails | mails/s | ours/it | CPU s per 1,000 mails | peak RSS | note |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        var ours = results.OursForRatio;
        foreach (var e2e in results.Ours)
        {
            var note = string.Join("; ", new[]
            {
                e2e.MakeIssueSeconds is { } make ? $"issue made in {make.ToString("0.00", Invariant)} s" : null,
                e2e.Deliveries,
                e2e.Send.Note,
            }.Where(s => s is not null));
            Row(output, e2e.Send with { Name = e2e.Name, Note = note }, ratio: null);
        }

        foreach (var row in results.Cluster)
        {
            Row(output, row, ratio: null);
        }

        foreach (var baseline in results.Baselines)
        {
            Row(output, baseline, ours is not null && baseline.Measured ? ours.MailsPerSecond / baseline.MailsPerSecond : null);
        }

        // The issue asks how rate and memory change from the default list to the largest one.
        var measured = results.Ours.Where(o => o.Send.Measured).OrderBy(o => o.Subscribers).ToList();
        if (measured.Count > 1 && measured[0].Send.PeakRssBytes is { } smallRss && measured[^1].Send.PeakRssBytes is { } bigRss)
        {
            var (small, big) = (measured[0], measured[^1]);
            output.WriteLine();
            output.WriteLine(string.Create(Invariant,
                $"From N={small.Subscribers:N0} to N={big.Subscribers:N0}: rate {big.Send.MailsPerSecond / small.Send.MailsPerSecond - 1:+0%;-0%}, peak RSS {(double)bigRss / smallRss - 1:+0%;-0%}, issue made in {small.MakeIssueSeconds:0.00} s vs {big.MakeIssueSeconds:0.00} s."));
        }

        if (results.Micro.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("## Micro-benchmarks");
            output.WriteLine();
            output.WriteLine("| benchmark | mean | detail |");
            output.WriteLine("| --- | ---: | --- |");
            foreach (var micro in results.Micro)
            {
                var mean = micro.MeanMicroseconds is { } us ? $"{us.ToString("N1", Invariant)} µs" : "—";
                output.WriteLine($"| {micro.Name} | {mean} | {micro.Detail} |");
            }
        }
    }

    private static void Row(TextWriter output, Measurement m, double? ratio)
    {
        if (!m.Measured)
        {
            output.WriteLine($"| {m.Name} | — | pending | — | — | — | {m.Note} |");
            return;
        }

        var ratioText = ratio is { } r ? r.ToString("0.00", Invariant) : "—";
        var cpu = m.CpuSecondsPer1000 is { } c ? c.ToString("0.000", Invariant) : "—";
        output.WriteLine($"| {m.Name} | {m.Mails.ToString("N0", Invariant)} | {m.MailsPerSecond.ToString("N0", Invariant)} | {ratioText} | {cpu} | {Mb(m.PeakRssBytes)} | {m.Note} |");
    }

    public static string Mb(long? bytes) => bytes is { } b ? $"{(b / 1024.0 / 1024).ToString("0", Invariant)} MB" : "—";
}
