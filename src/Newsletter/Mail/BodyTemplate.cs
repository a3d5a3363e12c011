using System.Buffers;
using System.Text;

namespace Newsletter.Mail;

/// <summary>
/// A body every reader of an issue shares, cut into literal text with numbered slots for each
/// reader's own values (name, links, tokens: any number of them). Made once per issue; thread-safe.
/// <para>
/// Quoted-printable restarts at every hard line break: the encoding of a line depends only on that
/// line. So every run of whole lines without a slot is encoded once, on first use, and per reader
/// only the lines that hold a slot are encoded (from the end of the previous fixed run to the next
/// line break). The result is byte for byte <see cref="QuotedPrintable.Encode(string, bool)"/> of the
/// filled text (with CRLF, as the wire takes it), without ever making that text or its 30 KB
/// encoding per reader. The shared runs also keep their DKIM relaxed form, made once, so that a
/// signed mail hashes them without canonicalising them again.
/// </para>
/// </summary>
public sealed class BodyTemplate
{
    private readonly string[] _literals;
    private readonly int[] _slots;
    private readonly int _literalLength;
    private readonly Lazy<Piece[]> _pieces;

    /// <param name="literals">The text around the slots: one more than <paramref name="slots"/>.</param>
    /// <param name="slots">Which value goes between literal i and literal i + 1.</param>
    public BodyTemplate(string[] literals, int[] slots)
    {
        ArgumentNullException.ThrowIfNull(literals);
        ArgumentNullException.ThrowIfNull(slots);
        if (literals.Length != slots.Length + 1)
        {
            throw new ArgumentException("a template has one more literal than slots", nameof(literals));
        }

        _literals = literals;
        _slots = slots;
        _literalLength = literals.Sum(l => l.Length);
        _pieces = new Lazy<Piece[]>(Plan, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>One reader's body: slot i holds <paramref name="values"/>[i] (already escaped as the body needs).</summary>
    public MailBody With(string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new MailBody(this, values);
    }

    /// <summary>The filled text: one exact-size string copy.</summary>
    internal string Fill(string[] values)
    {
        var length = _literalLength;
        foreach (var slot in _slots)
        {
            length += values[slot].Length;
        }

        return string.Create(length, (this, values), static (span, state) =>
        {
            var (self, values) = state;
            var at = 0;
            for (var i = 0; i < self._slots.Length; i++)
            {
                self._literals[i].AsSpan().CopyTo(span[at..]);
                at += self._literals[i].Length;
                var value = values[self._slots[i]];
                value.AsSpan().CopyTo(span[at..]);
                at += value.Length;
            }

            self._literals[^1].AsSpan().CopyTo(span[at..]);
        });
    }

    /// <summary>The encoded body as chunks of whole lines: shared ones as they are, personal lines encoded now.</summary>
    internal BodyChunk[] Encode(string[] values)
    {
        var pieces = _pieces.Value;
        var chunks = new BodyChunk[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            chunks[i] = pieces[i].Fixed ?? new BodyChunk(pieces[i].EncodeFor(values), null);
        }

        return chunks;
    }

    /// <summary>
    /// Cuts the body into fixed runs of whole lines (encoded here, once) and personal runs: the rest
    /// of the line before a slot, the slot, and literal text up to the next line break (or further
    /// slots on the same line), encoded per reader.
    /// </summary>
    private Piece[] Plan()
    {
        var pieces = new List<Piece>();
        var rawLiterals = new List<byte[]>();
        var runSlots = new List<int>();
        for (var i = 0; i < _literals.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(_literals[i]);
            var firstBreak = Array.IndexOf(bytes, (byte)'\n') + 1;
            var lastBreak = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            if (i == 0 || firstBreak == 0)
            {
                if (i == 0 && lastBreak > 0)
                {
                    pieces.Add(Piece.Shared(bytes.AsSpan(0, lastBreak)));
                    rawLiterals.Add(bytes[lastBreak..]);
                }
                else
                {
                    // No line break: the whole literal is on the personal line.
                    rawLiterals.Add(bytes);
                }
            }
            else
            {
                // The personal line ends at this literal's first line break.
                rawLiterals.Add(bytes[..firstBreak]);
                pieces.Add(new Piece(null, [.. rawLiterals], [.. runSlots]));
                rawLiterals.Clear();
                runSlots.Clear();
                if (lastBreak > firstBreak)
                {
                    pieces.Add(Piece.Shared(bytes.AsSpan(firstBreak, lastBreak - firstBreak)));
                }

                rawLiterals.Add(bytes[lastBreak..]);
            }

            if (i < _slots.Length)
            {
                runSlots.Add(_slots[i]);
            }
        }

        // The last line: shared when no slot is on it. It ends the body, so it gets the encoder's
        // closing soft break either way.
        pieces.Add(runSlots.Count == 0 ? Piece.Shared(rawLiterals[0]) : new Piece(null, [.. rawLiterals], [.. runSlots]));
        return [.. pieces];
    }

    /// <summary>Encoded bytes shared by all readers (<see cref="Fixed"/>), or raw literals around slots.</summary>
    private sealed record Piece(BodyChunk? Fixed, byte[][] Raw, int[] Slots)
    {
        public static Piece Shared(ReadOnlySpan<byte> raw) => new(BodyChunk.Shared(QuotedPrintable.Encode(raw, crlf: true)), [], []);

        public byte[] EncodeFor(string[] values)
        {
            var length = Raw.Sum(r => r.Length);
            foreach (var slot in Slots)
            {
                length += Encoding.UTF8.GetMaxByteCount(values[slot].Length);
            }

            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var at = 0;
                for (var i = 0; i < Slots.Length; i++)
                {
                    Raw[i].CopyTo(buffer, at);
                    at += Raw[i].Length;
                    at += Encoding.UTF8.GetBytes(values[Slots[i]], buffer.AsSpan(at));
                }

                Raw[^1].CopyTo(buffer, at);
                at += Raw[^1].Length;
                return QuotedPrintable.Encode(buffer.AsSpan(0, at), crlf: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
