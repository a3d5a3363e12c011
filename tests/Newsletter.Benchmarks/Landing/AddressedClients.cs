using System.Net;
using System.Net.Sockets;

namespace Newsletter.Benchmarks.Landing;

/// <summary>
/// HTTP clients that each connect from their own loopback address (127.1.x.y: all of 127/8 is
/// loopback on Linux), so the product sees as many client addresses as the field would and its
/// per-address limits act on each as they would there, with no proxy header to trust.
/// </summary>
internal sealed class AddressedClients : IDisposable
{
    private readonly HttpClient[] _clients;

    public AddressedClients(int count, byte block)
    {
        _clients = [.. Enumerable.Range(0, count).Select(i => Create(new IPAddress([127, block, (byte)(i / 250), (byte)(1 + (i % 250))])))];
    }

    public int Count => _clients.Length;

    public HttpClient this[int index] => _clients[index % _clients.Length];

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static HttpClient Create(IPAddress local)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
