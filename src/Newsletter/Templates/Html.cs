using System.Buffers;
using System.Text;

namespace Newsletter.Templates;

/// <summary>The one HTML escape: &amp; &lt; &gt; &quot; &#39; and nothing else.</summary>
/// <remarks>
/// Unlike WebUtility.HtmlEncode it leaves every other character as written, so emoji and accents
/// stay readable in the mail source and do not grow each into a numeric entity.
/// </remarks>
public static class Html
{
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>\"'");

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var first = value.AsSpan().IndexOfAny(Special);
        if (first < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        builder.Append(value, 0, first);
        foreach (var c in value.AsSpan(first))
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
