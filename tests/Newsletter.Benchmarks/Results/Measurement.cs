using System.Globalization;

namespace Newsletter.Benchmarks.Results;

/// <summary>One client's send: how many mails in how long, and what the client process cost.</summary>
internal sealed record Measurement(string Name, long Mails, double Seconds, double? CpuSeconds, long? PeakRssBytes, string? Note = null)
{
    public double MailsPerSecond => Mails / Seconds;

    public double? CpuSecondsPer1000 => CpuSeconds * 1000 / Mails;

    /// <summary>A measurement that could not be taken, shown in the table with the reason.</summary>
    public static Measurement Missing(string name, string reason) => new(name, 0, double.NaN, null, null, reason);

    public bool Measured => Mails > 0 && double.IsFinite(Seconds);

    /// <summary>The run with the median rate, its note giving the spread of all the runs.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> runs)
    {
        var measured = runs.Where(r => r.Measured).OrderBy(r => r.MailsPerSecond).ToList();
        if (measured.Count == 0)
        {
            return runs[0];
        }

        var median = measured[(measured.Count - 1) / 2];
        if (measured.Count == 1)
        {
            return median;
        }

        var spread = string.Create(CultureInfo.InvariantCulture, $"median of {measured.Count}: {measured[0].MailsPerSecond:N0}–{measured[^1].MailsPerSecond:N0}/s");
        return median with { Note = median.Note is null ? spread : $"{median.Note}; {spread}" };
    }
}
