using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// smtp-sink refuses all recipients or none; a real server refuses some. This sits in front of a
/// sink and answers "550 5.1.1 … User unknown" to RCPT TO for the addresses it is told to refuse,
/// passing everything else through. It hides PIPELINING so that commands and replies alternate
/// and its own reply can take the place of the sink's.
/// </summary>
public sealed class RejectingSmtpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _upstreamPort;
    private readonly Func<string, bool> _refuse;
    private readonly Task _accepting;

    private readonly string _reply;

    /// <summary><paramref name="reply"/>: the refusal, {0} standing for the address (default: 550 5.1.1 … User unknown).</summary>
    public RejectingSmtpProxy(int upstreamPort, Func<string, bool> refuse, string reply = "550 5.1.1 <{0}>: Recipient address rejected: User unknown")
    {
        _upstreamPort = upstreamPort;
        _refuse = refuse;
        _reply = reply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => RelayAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            var toClient = client.GetStream();
            var toServer = upstream.GetStream();
            using var writeLock = new SemaphoreSlim(1, 1);
            var down = PumpFromServerAsync(new LineReader(toServer), toClient, writeLock);
            var up = PumpFromClientAsync(new LineReader(toClient), toServer, toClient, writeLock);
            await Task.WhenAny(down, up);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpFromServerAsync(LineReader server, Stream client, SemaphoreSlim writeLock)
    {
        while (await server.ReadLineAsync(_stop.Token) is { } line)
        {
            var text = Encoding.ASCII.GetString(line);
            if (text.StartsWith("250", StringComparison.Ordinal) && text.Contains("PIPELINING", StringComparison.OrdinalIgnoreCase))
            {
                line = Encoding.ASCII.GetBytes(text.Replace("PIPELINING", "XNOPIPELINING", StringComparison.OrdinalIgnoreCase));
            }

            await WriteAsync(client, line, writeLock);
        }
    }

    private async Task PumpFromClientAsync(LineReader client, Stream server, Stream clientStream, SemaphoreSlim writeLock)
    {
        var inData = false;
        while (await client.ReadLineAsync(_stop.Token) is { } line)
        {
            var text = Encoding.ASCII.GetString(line).TrimEnd('\r', '\n');
            if (inData)
            {
                inData = text != ".";
            }
            else if (text.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase))
            {
                var address = text[8..].Trim().TrimStart('<').Split('>')[0];
                if (_refuse(address))
                {
                    await WriteAsync(clientStream, Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, _reply, address) + "\r\n"), writeLock);
                    continue;
                }
            }
            else if (text.Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                inData = true;
            }

            await server.WriteAsync(line, _stop.Token);
        }
    }

    private async Task WriteAsync(Stream stream, byte[] line, SemaphoreSlim writeLock)
    {
        await writeLock.WaitAsync(_stop.Token);
        try
        {
            await stream.WriteAsync(line, _stop.Token);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    /// <summary>Reads CRLF-terminated lines as bytes, terminator included.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>(128);
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken);
                    if (_end == 0)
                    {
                        return line.Count > 0 ? [.. line] : null;
                    }
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.AddRange(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    continue;
                }

                line.AddRange(_buffer.AsSpan(_start, newline - _start + 1));
                _start = newline + 1;
                return [.. line];
            }
        }
    }
}
