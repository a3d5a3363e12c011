using System.Globalization;

namespace Newsletter.EditorConsole;

/// <summary>How the console writes numbers and times: one style on every page.</summary>
internal static class Display
{
    public static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"—" for what is not measured (yet).</summary>
    public static string Number(int? n) => n is { } v ? Number(v) : "—";

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
