namespace Newsletter.Mail;

/// <summary>
/// A read-only, seekable stream over byte segments, read in order: a templated body's shared and
/// personal segments reach MimeKit (which copies content to the wire, and again for DKIM) without
/// being joined into one per-mail buffer.
/// </summary>
internal sealed class SegmentStream(ReadOnlyMemory<byte>[] segments) : Stream
{
    private readonly long _length = segments.Sum(s => (long)s.Length);
    private int _segment;
    private int _offset;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length && _segment < segments.Length)
        {
            var source = segments[_segment].Span[_offset..];
            var take = Math.Min(source.Length, buffer.Length - read);
            source[..take].CopyTo(buffer[read..]);
            read += take;
            _offset += take;
            if (_offset == segments[_segment].Length)
            {
                _segment++;
                _offset = 0;
            }
        }

        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _segment = 0;
        _offset = 0;
        _position = Math.Min(target, _length);
        var left = _position;
        while (_segment < segments.Length && left >= segments[_segment].Length)
        {
            left -= segments[_segment].Length;
            _segment++;
        }

        _offset = (int)left;
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
