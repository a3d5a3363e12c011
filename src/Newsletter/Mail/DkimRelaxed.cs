using System.Buffers;

namespace Newsletter.Mail;

/// <summary>
/// DKIM's "relaxed" canonical forms (RFC 6376 3.4.2 and 3.4.4), which the signature hashes: what a
/// verifier recomputes from the mail as it arrived, whatever whitespace a relay changed on the way.
/// </summary>
internal static class DkimRelaxed
{
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r\n"u8);

    /// <summary>
    /// The relaxed body form of CRLF lines (whole lines, so each piece of a body can be made on its
    /// own): in every line runs of spaces and tabs become one space and blanks at the line end go.
    /// Returns <paramref name="lines"/> itself when nothing changes (quoted-printable text mostly,
    /// as it has no blank at a line end). Trailing empty lines of the whole body are the caller's.
    /// </summary>
    public static byte[] Body(byte[] lines)
    {
        if (lines.AsSpan().IndexOf("  "u8) < 0 && lines.AsSpan().IndexOf((byte)'\t') < 0 && lines.AsSpan().IndexOf(" \r\n"u8) < 0)
        {
            return lines;
        }

        var output = new byte[lines.Length];
        var at = 0;
        var blank = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var b = lines[i];
            if (b is (byte)' ' or (byte)'\t')
            {
                blank = true;
                continue;
            }

            if (b == '\r' && i + 1 < lines.Length && lines[i + 1] == '\n')
            {
                // Blanks before a line end are dropped.
                blank = false;
            }
            else if (blank)
            {
                output[at++] = (byte)' ';
                blank = false;
            }

            output[at++] = b;
        }

        return output[..at];
    }

    /// <summary>
    /// A CRLF body as a whole in its relaxed form: <see cref="Body(byte[])"/>, then no empty lines at
    /// the end, and a final CRLF if the last line has none (an empty body stays empty).
    /// </summary>
    public static byte[] WholeBody(byte[] body)
    {
        var lines = Body(body);
        var end = lines.Length;
        while (end >= 2 && lines.AsSpan(0, end).EndsWith("\r\n"u8) && (end == 2 || lines.AsSpan(0, end - 2).EndsWith("\r\n"u8)))
        {
            end -= 2;
        }

        return end == 0 ? [] : lines.AsSpan(0, end).EndsWith("\r\n"u8) ? lines[..end] : [.. lines[..end], (byte)'\r', (byte)'\n'];
    }

    /// <summary>
    /// One header field in relaxed form: the name in lower case, a colon, the value unfolded with
    /// every run of blanks as one space and none at either end, then CRLF unless
    /// <paramref name="last"/> (the DKIM-Signature field itself is hashed without it).
    /// </summary>
    public static void Header(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> lowerCaseName, ReadOnlySpan<byte> rawValue, bool last = false)
    {
        var span = output.GetSpan(lowerCaseName.Length + rawValue.Length + 3);
        var at = 0;
        lowerCaseName.CopyTo(span);
        at += lowerCaseName.Length;
        span[at++] = (byte)':';
        var i = 0;
        var first = true;
        while (i < rawValue.Length)
        {
            var word = rawValue[i..].IndexOfAny(Blanks);
            if (word == 0)
            {
                i++;
                continue;
            }

            if (!first)
            {
                span[at++] = (byte)' ';
            }

            first = false;
            word = word < 0 ? rawValue.Length - i : word;
            rawValue.Slice(i, word).CopyTo(span[at..]);
            at += word;
            i += word;
        }

        if (!last)
        {
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
        }

        output.Advance(at);
    }
}
