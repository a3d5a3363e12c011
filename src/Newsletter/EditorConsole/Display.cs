using System.Globalization;

namespace Newsletter.EditorConsole;

/// <summary>How the console writes numbers and times: one style on every page.</summary>
internal static class Display
{
    public static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"—" for what is not measured (yet).</summary>
    public static string Number(int? n) => n is { } v ? Number(v) : "—";

    /// <summary>"2 hours", "90 minutes", "45 seconds": a setting's wait as an editor reads it.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? Plural((int)span.TotalHours, "hour")
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? Plural((int)span.TotalMinutes, "minute")
        : Plural((int)Math.Ceiling(span.TotalSeconds), "second");

    private static string Plural(int n, string word) => $"{Number(n)} {word}{(n == 1 ? "" : "s")}";

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Date(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : "—";

    /// <summary>A whole-number percentage of <paramref name="part"/> in <paramref name="whole"/>, 0 when empty.</summary>
    public static int Percent(int part, int whole) => whole <= 0 ? 0 : (int)Math.Floor(100.0 * part / whole);

    public static string StatusWord(string status) => status switch
    {
        "held" => "paused",
        "paused" => "waiting for SMTP",
        _ => status,
    };
}
