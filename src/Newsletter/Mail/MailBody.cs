namespace Newsletter.Mail;

/// <summary>
/// One part of a mail (HTML or text): either text given whole, or an issue's shared
/// <see cref="BodyTemplate"/> with one reader's values in its slots. MailFactory sends a templated
/// body from bytes encoded once per issue, encoding only the lines that hold the reader's values, so
/// the per-reader cost no longer grows with the size of the digest; the text itself is only made
/// when something asks for it (<see cref="ToString"/>: previews, tests).
/// </summary>
public sealed class MailBody
{
    private readonly string? _whole;
    private readonly BodyTemplate? _template;
    private readonly string[]? _values;
    private string? _text;

    private MailBody(string whole) => _whole = whole;

    internal MailBody(BodyTemplate template, string[] values)
    {
        _template = template;
        _values = values;
    }

    /// <summary>A body given whole (confirmations, tests): encoded per mail as before.</summary>
    public static MailBody FromString(string text) => new(text);

    public static implicit operator MailBody(string text) => FromString(text);

    public static implicit operator string(MailBody body) => body.ToString();

    /// <summary>The body as text; for a templated body, made (once) from the template and the values.</summary>
    public override string ToString() => _whole ?? (_text ??= _template!.Fill(_values!));

    /// <summary>The body as UTF-8 quoted-printable with CRLF line ends, in chunks of whole lines (see <see cref="BodyChunk"/>).</summary>
    internal BodyChunk[] Encode() => _template is null
        ? [new BodyChunk(QuotedPrintable.Encode(_whole!, crlf: true), null)]
        : _template.Encode(_values!);
}
