using System.Buffers;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Newsletter.Mail;

/// <summary>
/// A header field from bytes already in MimeKit's raw form (" value\n", folded with "\n\t"), for the
/// values we make ourselves and know to be plain ASCII: MimeKit's setters would parse and encode
/// them again on every mail. Never for text from outside: that goes through MimeKit's encoding.
/// </summary>
internal sealed class RawHeader : Header
{
    private static readonly byte[] DateField = "Date"u8.ToArray();
    private static readonly byte[] MessageIdField = "Message-Id"u8.ToArray();

    /// <summary>Characters of a dot-atom (RFC 5322 3.2.3) that need no quoting; ours are letters, digits, '.', '-'.</summary>
    private static readonly SearchValues<char> AtomText =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");

    /// <summary>The Date field of the current second: every mail of that second shares its bytes.</summary>
    private static volatile DateBytes? s_date;

    private RawHeader(HeaderId id, byte[] field, byte[] value)
        : base(ParserOptions.Default, id, id.ToHeaderName(), field, value)
    {
    }

    /// <summary>The Date field, as MimeKit formats it, made once per second.</summary>
    public static Header Date(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var cached = s_date;
        if (cached is null || cached.Second != second)
        {
            cached = new DateBytes(second, new Header(HeaderId.Date, DateUtils.FormatDate(now)).RawValue);
            s_date = cached;
        }

        return new RawHeader(HeaderId.Date, DateField, cached.Raw);
    }

    /// <summary>
    /// The Message-Id field "&lt;local@domain&gt;" when both are dot-atoms of plain characters (our
    /// keys and the sender's domain), else null: the caller lets MimeKit check and encode it.
    /// </summary>
    public static Header? MessageId(string local, string domain)
    {
        if (!IsDotAtom(local) || !IsDotAtom(domain))
        {
            return null;
        }

        var raw = new byte[local.Length + domain.Length + 5];
        raw[0] = (byte)' ';
        raw[1] = (byte)'<';
        var at = 2 + Encoding.ASCII.GetBytes(local, raw.AsSpan(2));
        raw[at++] = (byte)'@';
        at += Encoding.ASCII.GetBytes(domain, raw.AsSpan(at));
        raw[at++] = (byte)'>';
        raw[at] = (byte)'\n';
        return new RawHeader(HeaderId.MessageId, MessageIdField, raw);
    }

    private static bool IsDotAtom(string text) =>
        text.Length > 0 && text.Length < 200 && !text.AsSpan().ContainsAnyExcept(AtomText)
        && text[0] != '.' && text[^1] != '.' && !text.Contains("..", StringComparison.Ordinal);

    private sealed record DateBytes(long Second, byte[] Raw);
}
