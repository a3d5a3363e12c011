using System.Text;

namespace Newsletter.Digests;

/// <summary>
/// Wraps prose for the plain-text part at 72 columns. Only spaces where a line is cut become a line
/// break (plus the indent); every other character, line breaks included, is kept as written.
/// </summary>
public static class TextWrap
{
    public const int Width = 72;

    public static string Wrap(string? text, string indent, int width = Width)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var output = new StringBuilder(text.Length + 16);
        output.Append(indent);
        var lineStart = 0;   // index in output where the current line starts
        var lastSpace = -1;  // index in output of the last space on the current line
        foreach (var c in text)
        {
            if (c is '\n' or '\r')
            {
                output.Append(c);
                lineStart = output.Length;
                lastSpace = -1;
                continue;
            }

            output.Append(c);
            if (c == ' ')
            {
                lastSpace = output.Length - 1;
            }
            else if (output.Length - lineStart > width && lastSpace > lineStart + indent.Length)
            {
                output[lastSpace] = '\n';
                output.Insert(lastSpace + 1, indent);
                lineStart = lastSpace + 1;
                lastSpace = -1;
            }
        }

        return output.ToString();
    }
}
