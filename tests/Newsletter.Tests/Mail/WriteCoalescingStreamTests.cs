using System.Net;
using System.Net.Sockets;
using System.Text;
using Newsletter.Mail;

namespace Newsletter.Tests.Mail;

/// <summary>
/// A send's connection holds MailKit's 4 KB writes until MailKit flushes or reads, so a mail leaves
/// in one write rather than a dozen; the bytes, their order and the connection's timeouts stay as
/// they were. The socket tests use a real loopback connection.
/// </summary>
public sealed class WriteCoalescingStreamTests
{
    [Fact]
    public void AMessageWrittenInBlocksLeavesInOneWriteAtTheFlushWithEveryByteInOrder()
    {
        var wire = new Wire();
        using var stream = new WriteCoalescingStream(wire);
        var message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1100).Select(i => $"line {i:D4} of the digest\r\n")));
        for (var at = 0; at < message.Length; at += 4096)
        {
            stream.Write(message, at, Math.Min(4096, message.Length - at));
        }

        Assert.Empty(wire.Writes);
        stream.Write(".\r\n"u8);
        stream.Flush();

        var write = Assert.Single(wire.Writes);
        Assert.Equal([.. message, .. ".\r\n"u8.ToArray()], write);
    }

    [Fact]
    public void WhatIsHeldGoesOutBeforeAReplyIsRead()
    {
        var wire = new Wire();
        using var stream = new WriteCoalescingStream(wire);
        stream.Write("MAIL FROM:<digest@example.com>\r\nRCPT TO:<reader@example.com>\r\nDATA\r\n"u8);

        var reply = new byte[64];
        var read = stream.Read(reply);

        Assert.Equal(1, wire.WritesBeforeFirstRead);
        Assert.Equal("250 2.1.0 Ok\r\n", Encoding.ASCII.GetString(reply, 0, read));
    }

    [Fact]
    public void AWriteLargerThanItHoldsGoesStraightThroughAfterWhatWasHeld()
    {
        var wire = new Wire();
        using var stream = new WriteCoalescingStream(wire);
        var big = new byte[(WriteCoalescingStream.Capacity * 2) + 100];
        Random.Shared.NextBytes(big);
        stream.Write(big.AsSpan(0, 100));
        stream.Write(big.AsSpan(100));
        stream.Flush();

        Assert.Equal([100, WriteCoalescingStream.Capacity * 2], wire.Writes.Select(w => w.Length));
        Assert.Equal(big, wire.Writes.SelectMany(w => w).ToArray());
    }

    [Fact]
    public async Task AServerThatGoesSilentEndsTheReadWithTheConnectionsTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect((IPEndPoint)listener.LocalEndpoint);
        using var server = await listener.AcceptSocketAsync();
        using var stream = new WriteCoalescingStream(new NetworkStream(socket, ownsSocket: false));

        Assert.True(stream.CanTimeout);
        stream.ReadTimeout = 300;
        stream.Write("NOOP\r\n"u8);

        Assert.Equal(300, socket.ReceiveTimeout);
        Assert.Throws<IOException>(() => stream.Read(new byte[16]));
        var received = new byte[16];
        Assert.Equal("NOOP\r\n", Encoding.ASCII.GetString(received, 0, server.Receive(received)));
    }

    /// <summary>A stream standing for the socket: keeps each write as it came, answers a read with a reply.</summary>
    private sealed class Wire : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public int? WritesBeforeFirstRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());

        public override int Read(byte[] buffer, int offset, int count)
        {
            WritesBeforeFirstRead ??= Writes.Count;
            var reply = "250 2.1.0 Ok\r\n"u8;
            reply.CopyTo(buffer.AsSpan(offset, count));
            return reply.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
