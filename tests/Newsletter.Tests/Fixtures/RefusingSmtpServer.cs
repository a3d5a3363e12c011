using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// An SMTP server that is there but refuses everyone: it greets each connection with "421 4.3.2
/// Service not available" and hangs up, as a busy or overloaded server does. Counts the connections,
/// so a test can wait until the product has tried (and tried again).
/// </summary>
public sealed class RefusingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    private RefusingSmtpServer(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Connections => Volatile.Read(ref _connections);

    public static RefusingSmtpServer Start(int port) => new(port);

    public async Task WaitForConnectionsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Connections < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Connections} connections to the refusing server, expected {count}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            try
            {
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("421 4.3.2 Service not available, try again later\r\n"), _stop.Token);
            }
            catch (IOException)
            {
            }
        }
    }
}
