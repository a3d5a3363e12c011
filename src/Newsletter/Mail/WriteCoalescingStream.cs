namespace Newsletter.Mail;

/// <summary>
/// A connection's stream that holds what MailKit writes until MailKit flushes (or reads a reply).
/// MailKit hands its stream a message in blocks of 4 KB, and on a socket with Nagle off each block
/// is a send() of its own, a segment, and a wake-up of the server: 13 send() calls for a 43 KB
/// digest. Held here, the commands of a mail go out in one and the message in one (a block at
/// most <see cref="Capacity"/> bytes). Reads, timeouts and disposal pass through. It serves the
/// blocking connections of a send; async calls get Stream's own, which run the blocking ones.
/// </summary>
internal sealed class WriteCoalescingStream(Stream inner) : Stream
{
    /// <summary>One loopback segment; a real network splits it anyway.</summary>
    public const int Capacity = 64 * 1024;

    private readonly byte[] _held = new byte[Capacity];
    private int _count;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override bool CanTimeout => inner.CanTimeout;

    public override int ReadTimeout
    {
        get => inner.ReadTimeout;
        set => inner.ReadTimeout = value;
    }

    public override int WriteTimeout
    {
        get => inner.WriteTimeout;
        set => inner.WriteTimeout = value;
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_count + buffer.Length > Capacity)
        {
            WriteHeld();
        }

        if (buffer.Length >= Capacity)
        {
            inner.Write(buffer);
            return;
        }

        buffer.CopyTo(_held.AsSpan(_count));
        _count += buffer.Length;
    }

    public override void Flush()
    {
        WriteHeld();
        inner.Flush();
    }

    // A reply can only come to what the server has: whatever is held goes first.
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        WriteHeld();
        return inner.Read(buffer);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void WriteHeld()
    {
        if (_count > 0)
        {
            // Emptied first: after a failed write the connection is gone and nothing held is worth sending.
            var count = _count;
            _count = 0;
            inner.Write(_held, 0, count);
        }
    }
}
