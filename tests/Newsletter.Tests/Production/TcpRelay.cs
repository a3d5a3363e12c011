using System.Net;
using System.Net.Sockets;

namespace Newsletter.Tests.Production;

/// <summary>
/// A loopback TCP relay to a server, which the test can cut: every open connection is reset and new
/// ones are refused, as when the server behind it stops. Lets one test take "the database" away
/// from one app without stopping the server other test classes share.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _cut = new();

    public TcpRelay(string host, int port)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(host, port);
    }

    public int Port { get; }

    /// <summary>Resets every connection and refuses new ones.</summary>
    public void Cut()
    {
        _cut.Cancel();
        _listener.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_cut.IsCancellationRequested)
        {
            Cut();
        }

        _cut.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(string host, int port)
    {
        try
        {
            while (!_cut.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_cut.Token);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(host, port, _cut.Token);
                lock (_open)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }

                _ = PipeAsync(inbound, outbound);
                _ = PipeAsync(outbound, inbound);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _cut.Token);
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException or InvalidOperationException)
        {
        }
    }
}
