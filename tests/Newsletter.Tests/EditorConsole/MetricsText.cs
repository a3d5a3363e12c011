using System.Globalization;

namespace Newsletter.Tests.EditorConsole;

/// <summary>Reads samples out of GET /metrics (Prometheus text).</summary>
public static class MetricsText
{
    /// <summary>
    /// The values of the samples of <paramref name="name"/> (with or without labels) whose line
    /// contains <paramref name="labelPart"/>. In a test run several apps share the process, and
    /// OpenTelemetry lets each scrape see every app's "Newsletter" meter: a series can have one
    /// sample per live app, this app's among them.
    /// </summary>
    public static List<double> Samples(string metrics, string name, string labelPart = "") =>
        [.. metrics.Split('\n')
            .Where(l => (l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
                && l.Contains(labelPart, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture))];
}
