using System.Globalization;

namespace Newsletter.Benchmarks.Results;

/// <summary>Issue 23: the send with eight selections beside the default list's, and the issue-making time with choosers.</summary>
internal static class SelectionResults
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(RunResults results, TextWriter output)
    {
        if (results.Selections.Count == 0 && results.SelectiveMakes.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("## Readers' choices (issue 23: one render per distinct selection)");
        output.WriteLine();
        output.WriteLine("| client | mails | mails/s | CPU s per 1,000 mails | peak RSS | note |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");

        // The default list's shipped row of the same N, when this run has it, to read the two side by side.
        foreach (var send in results.Selections)
        {
            if (results.Shipped.FirstOrDefault(s => !s.Signed && send.Name.EndsWith($"N={s.Subscribers:N0}", StringComparison.Ordinal)).Send is { } plain)
            {
                Row(output, plain);
            }

            Row(output, send with { Note = "every reader chose one of 8 selections (2–3 of 4 comparisons; the default list's mails carry 3); " + send.Note });
        }

        output.WriteLine();
        output.WriteLine("| goal | figure | status |");
        output.WriteLine("| --- | --- | --- |");
        foreach (var make in results.SelectiveMakes)
        {
            var history = make.History > 0 ? $", {make.History + 1} issues sent before it" : "";
            var goal = $"issue made for {make.Subscribers.ToString("N0", Invariant)} readers, 1 in {EndToEnd.SelectiveMake.ChooseEvery} choosing{history}, ≤ 5 s";
            var status = make.Seconds is not { } s ? "not measured"
                : make.Subscribers < 1_000_000 ? "not judged (the goal is at 1,000,000: --make-n 1000000)"
                : s <= 5 ? "met" : "**not met**";
            output.WriteLine($"| {goal} | {(make.Seconds is { } t ? t.ToString("0.00", Invariant) + " s; " : "")}{make.Note} | {status} |");
        }
    }

    private static void Row(TextWriter output, Measurement m)
    {
        if (!m.Measured)
        {
            output.WriteLine($"| {m.Name} | — | — | — | — | {m.Note} |");
            return;
        }

        var cpu = m.CpuSecondsPer1000 is { } c ? c.ToString("0.000", Invariant) : "—";
        output.WriteLine($"| {m.Name} | {m.Mails.ToString("N0", Invariant)} | {m.MailsPerSecond.ToString("N0", Invariant)} | {cpu} | {ResultsTable.Mb(m.PeakRssBytes)} | {m.Note} |");
    }
}
