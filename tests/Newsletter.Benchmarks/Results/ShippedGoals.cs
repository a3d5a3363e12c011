using System.Globalization;
using Newsletter.Benchmarks.Baselines;

namespace Newsletter.Benchmarks.Results;

/// <summary>Issue 14: the product as shipped against the references of the same run, and its goals met or not.</summary>
internal static class ShippedGoals
{
    private const int Million = 1_000_000;
    private const int Default = 20_000;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(RunResults results, TextWriter output)
    {
        if (results.Shipped.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("## As shipped (`run`, started by POST /api/digests/send)");
        output.WriteLine();
        output.WriteLine("| client | mails | mails/s | ÷ its reference | CPU s per 1,000 mails | peak RSS | note |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        var bare = results.Baseline(BareMailKitBaseline.Name);
        var signing = results.Baseline(SigningMailKitBaseline.Name);
        foreach (var (_, signed, send) in results.Shipped)
        {
            Row(output, send, Ratio(send, signed ? signing : bare));
        }

        foreach (var name in new[] { SmtpSourceBaseline.Name, BareMailKitBaseline.Name, SigningMailKitBaseline.Name })
        {
            if (results.Baselines.FirstOrDefault(b => b.Name == name) is { } reference)
            {
                Row(output, reference, null);
            }
        }

        output.WriteLine();
        output.WriteLine("| goal | figure | status |");
        output.WriteLine("| --- | --- | --- |");
        foreach (var (goal, figure, status) in Judge(results, bare, signing))
        {
            output.WriteLine($"| {goal} | {figure} | {status} |");
        }
    }

    private static IEnumerable<(string Goal, string Figure, string Status)> Judge(RunResults results, Measurement? bare, Measurement? signing)
    {
        foreach (var (n, signed, send) in results.Shipped)
        {
            var reference = signed ? signing : bare;
            var goal = signed
                ? $"signed ≥ 0.8× the signing MailKit loop (N={n:N0})"
                : $"unsigned ≥ 0.8× the bare MailKit loop (N={n:N0})";
            yield return Ratio(send, reference) is { } r
                ? (goal, $"{r.ToString("0.00", Invariant)}× ({send.MailsPerSecond.ToString("N0", Invariant)} vs {reference!.MailsPerSecond.ToString("N0", Invariant)}/s)", Met(r >= 0.8))
                : (goal, "—", "not measured");
        }

        foreach (var signed in new[] { false, true })
        {
            var big = results.Shipped.FirstOrDefault(s => s.Subscribers == Million && s.Signed == signed && s.Send.Measured).Send;
            var small = results.Shipped.FirstOrDefault(s => s.Subscribers == Default && s.Signed == signed && s.Send.Measured).Send;
            var goal = $"peak RSS ≤ 300 MB at 1,000,000 and within 20% of 20,000 ({(signed ? "signed" : "unsigned")})";
            yield return big?.PeakRssBytes is { } b && small?.PeakRssBytes is { } s
                ? (goal, $"{ResultsTable.Mb(b)} vs {ResultsTable.Mb(s)}", Met(b <= 300L * 1024 * 1024 && b <= s * 1.2))
                : (goal, "—", "not measured (run with --n 20000,1000000)");
        }

        var make = results.Ours.FirstOrDefault(o => o.Subscribers == Million)?.MakeIssueSeconds;
        yield return make is { } m
            ? ("issue made for 1,000,000 ≤ 5 s", $"{m.ToString("0.00", Invariant)} s", Met(m <= 5))
            : ("issue made for 1,000,000 ≤ 5 s", "—", "not measured (needs the e2e part with --n 1000000)");
    }

    private static double? Ratio(Measurement send, Measurement? reference) =>
        send.Measured && reference is { Measured: true } ? send.MailsPerSecond / reference.MailsPerSecond : null;

    private static string Met(bool met) => met ? "met" : "**not met**";

    private static void Row(TextWriter output, Measurement m, double? ratio)
    {
        if (!m.Measured)
        {
            output.WriteLine($"| {m.Name} | — | — | — | — | — | {m.Note} |");
            return;
        }

        var ratioText = ratio is { } r ? r.ToString("0.00", Invariant) : "—";
        var cpu = m.CpuSecondsPer1000 is { } c ? c.ToString("0.000", Invariant) : "—";
        output.WriteLine($"| {m.Name} | {m.Mails.ToString("N0", Invariant)} | {m.MailsPerSecond.ToString("N0", Invariant)} | {ratioText} | {cpu} | {ResultsTable.Mb(m.PeakRssBytes)} | {m.Note} |");
    }
}
