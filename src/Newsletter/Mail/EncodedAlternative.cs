using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace Newsletter.Mail;

/// <summary>
/// Bytes of a body exactly as they go on the wire (quoted-printable, CRLF) and their DKIM relaxed
/// form: the same array when they do not differ, null when not made yet (a reader's own lines: made
/// only if the mail is signed). An issue's shared lines carry both, made once per issue.
/// </summary>
internal readonly record struct BodyChunk(byte[] Wire, byte[]? Canonical)
{
    public static BodyChunk Shared(byte[] wire) => new(wire, DkimRelaxed.Body(wire));

    public byte[] CanonicalBytes => Canonical ?? DkimRelaxed.Body(Wire);
}

/// <summary>
/// The body of every mail we build: multipart/alternative with a UTF-8 quoted-printable text part
/// and HTML part, the same MIME a MultipartAlternative of two TextParts gives, written from bytes
/// that are already encoded with CRLF line ends. Why: MimeKit's MimePart sends its content through a
/// newline filter byte by byte on every write (SMTP writes a mail twice: once to measure it for
/// SIZE, once to send), and its DKIM signer writes the body once more to hash it; here the shared
/// lines of a digest are encoded, CRLF-ed and canonicalised once per issue (<see cref="BodyTemplate"/>)
/// and a mail is a list of references to them plus the reader's own lines.
/// <para>
/// The parts are not MimeKit entities (the message's TextBody and HtmlBody are null until it is
/// parsed again): nothing in the product reads them back from a mail it built.
/// </para>
/// </summary>
internal sealed class EncodedAlternative : MimeEntity
{
    /// <summary>
    /// One boundary per process: quoted-printable never holds "=-" ("=" only starts "=XX" or a soft
    /// break), so no content can contain it, and a random one keeps it from being guessable.
    /// </summary>
    private static readonly string Boundary = "=-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private static readonly BodyChunk Open = Frame($"--{Boundary}\r\n{PartHeaders("plain")}\r\n");
    private static readonly BodyChunk Middle = Frame($"\r\n--{Boundary}\r\n{PartHeaders("html")}\r\n");
    private static readonly BodyChunk Close = Frame($"\r\n--{Boundary}--\r\n");

    private readonly BodyChunk[] _chunks;

    public EncodedAlternative(BodyChunk[] text, BodyChunk[] html)
        : base(new ContentType("multipart", "alternative") { Boundary = Boundary })
    {
        _chunks = [Open, .. text, Middle, .. html, Close];
    }

    /// <summary>Everything after the header block, in order; it ends with the closing boundary line, so no empty line ends it.</summary>
    public ReadOnlySpan<BodyChunk> Chunks => _chunks;

    /// <summary>Nothing to prepare: the content is 7-bit quoted-printable in lines of at most 76 characters.</summary>
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        base.WriteTo(options, stream, contentOnly, cancellationToken);
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            Write(stream, cancellationToken);
            return;
        }

        // Files written with Unix line ends (e.g. the pickup folder with the default options).
        using var filtered = new FilteredStream(stream);
        filtered.Add(new Dos2UnixFilter());
        Write(filtered, cancellationToken);
        filtered.Flush(cancellationToken);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        await base.WriteToAsync(options, stream, contentOnly, cancellationToken);
        if (options.NewLineFormat != NewLineFormat.Dos)
        {
            WriteTo(options, stream, contentOnly: true, cancellationToken);
            return;
        }

        foreach (var chunk in _chunks)
        {
            await stream.WriteAsync(chunk.Wire, cancellationToken);
        }
    }

    private void Write(Stream stream, CancellationToken cancellationToken)
    {
        var cancellable = stream as ICancellableStream;
        foreach (var chunk in _chunks)
        {
            if (cancellable is not null)
            {
                cancellable.Write(chunk.Wire, 0, chunk.Wire.Length, cancellationToken);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                stream.Write(chunk.Wire);
            }
        }
    }

    private static string PartHeaders(string subtype) =>
        $"Content-Type: text/{subtype}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";

    private static BodyChunk Frame(string text) => BodyChunk.Shared(Encoding.ASCII.GetBytes(text));
}
