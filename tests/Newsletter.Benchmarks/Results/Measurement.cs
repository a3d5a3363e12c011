namespace Newsletter.Benchmarks.Results;

/// <summary>One client's send: how many mails in how long, and what the client process cost.</summary>
internal sealed record Measurement(string Name, long Mails, double Seconds, double? CpuSeconds, long? PeakRssBytes, string? Note = null)
{
    public double MailsPerSecond => Mails / Seconds;

    public double? CpuSecondsPer1000 => CpuSeconds * 1000 / Mails;

    /// <summary>A measurement that could not be taken, shown in the table with the reason.</summary>
    public static Measurement Missing(string name, string reason) => new(name, 0, double.NaN, null, null, reason);

    public bool Measured => Mails > 0 && double.IsFinite(Seconds);
}
