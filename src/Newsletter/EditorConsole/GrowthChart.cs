using System.Globalization;
using System.Text;
using Newsletter.Templates;

namespace Newsletter.EditorConsole;

/// <summary>One week of the list: readers who confirmed, unsubscribed and bounced in it.</summary>
public sealed record GrowthWeek(DateOnly Monday, int Confirmed, int Unsubscribed, int Bounced);

/// <summary>
/// The subscribers chart as server-rendered SVG: per week a group of three bars (confirmed,
/// unsubscribed, bounced), each with a title the browser shows on hover and a screen reader reads,
/// and a table beside it with the same numbers for those who would rather read.
/// </summary>
public static class GrowthChart
{
    public const int Weeks = 12;

    /// <summary>The Monday (UTC) that starts the week holding <paramref name="at"/>.</summary>
    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    public static RawHtml Svg(IReadOnlyList<GrowthWeek> weeks)
    {
        const int width = 720, height = 260, left = 40, bottom = 28, top = 12;
        var max = Math.Max(1, weeks.Max(w => Math.Max(w.Confirmed, Math.Max(w.Unsubscribed, w.Bounced))));
        var scale = NiceCeiling(max);
        var plotHeight = height - bottom - top;
        var slot = (width - left) / (double)weeks.Count;
        var bar = slot / 4.2;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"growth-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"growth-title\" preserveAspectRatio=\"xMidYMid meet\">");
        svg.Append("<title id=\"growth-title\">Readers per week over the last 12 weeks: confirmed, unsubscribed, bounced</title>");
        for (var i = 0; i <= 4; i++)
        {
            var value = scale * i / 4;
            var y = top + plotHeight - (plotHeight * i / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{left}\" x2=\"{width}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{value:N0}</text>");
        }

        for (var w = 0; w < weeks.Count; w++)
        {
            var week = weeks[w];
            var x0 = left + (w * slot) + ((slot - (3 * bar)) / 2);
            var label = week.Monday.ToString("d MMM", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"week\" data-week=\"{week.Monday:yyyy-MM-dd}\">");
            Bar(svg, "confirmed", week.Confirmed, x0, label);
            Bar(svg, "unsubscribed", week.Unsubscribed, x0 + bar, label);
            Bar(svg, "bounced", week.Bounced, x0 + (2 * bar), label);
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{x0 + (1.5 * bar):0.#}\" y=\"{height - 8}\" text-anchor=\"middle\">{label}</text>");
            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return new RawHtml(svg.ToString());

        void Bar(StringBuilder s, string series, int count, double x, string week)
        {
            var h = count == 0 ? 0 : Math.Max(2, plotHeight * count / (double)scale);
            s.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar {series}\" data-series=\"{series}\" data-count=\"{count}\" x=\"{x:0.#}\" y=\"{top + plotHeight - h:0.#}\" width=\"{bar - 1:0.#}\" height=\"{h:0.#}\" rx=\"2\">");
            s.Append(CultureInfo.InvariantCulture, $"<title>Week of {week}: {count:N0} {series}</title></rect>");
        }
    }

    /// <summary>1, 2, 5 × 10^n at or above <paramref name="max"/>, divisible into four grid steps.</summary>
    private static int NiceCeiling(int max)
    {
        var step = 1;
        while (true)
        {
            foreach (var m in new[] { 1, 2, 5 })
            {
                if (4 * m * step >= max)
                {
                    return 4 * m * step;
                }
            }

            step *= 10;
        }
    }
}
