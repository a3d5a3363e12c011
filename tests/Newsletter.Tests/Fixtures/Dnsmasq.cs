using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// A real DNS server for the tests: Debian's dnsmasq, started from a config in a temp folder on a
/// free loopback port, answering only the records it is given (txt-record= and mx-host= lines), and
/// "no such name" for the rest of the zones it is told are local (ENGINEERING.md, 2026-12-07).
/// </summary>
public sealed class Dnsmasq : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dnsmasq";

    private readonly Process _process;

    private Dnsmasq(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Folder { get; }

    /// <summary>The value for Dns:Server.</summary>
    public string Server => $"127.0.0.1:{Port}";

    /// <summary>A TXT record: each string quoted (a long value is given as several strings of at most 255 bytes).</summary>
    public static string Txt(string name, params string[] strings) =>
        $"txt-record={name},{string.Join(',', strings.Select(s => "\"" + s.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""))}";

    public static string Mx(string name, string host, int preference = 10) => $"mx-host={name},{host},{preference}";

    /// <param name="localZones">Zones answered only from these records (unknown names: NXDOMAIN), e.g. "example".</param>
    /// <param name="records">txt-record= and mx-host= lines (<see cref="Txt"/>, <see cref="Mx"/>).</param>
    public static async Task<Dnsmasq> StartAsync(IEnumerable<string> localZones, IEnumerable<string> records)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install dnsmasq-base (tests/run-tests.sh does)");
        }

        var folder = Directory.CreateTempSubdirectory("newsletter-dnsmasq-").FullName;
        var port = FreeUdpPort();
        var config = Path.Combine(folder, "dnsmasq.conf");
        await File.WriteAllLinesAsync(config,
        [
            $"port={port}",
            "listen-address=127.0.0.1",
            "bind-interfaces",
            "no-resolv",
            "no-hosts",
            .. localZones.Select(z => $"local=/{z}/"),
            .. records,
        ]);
        var process = Process.Start(new ProcessStartInfo(Executable, [$"--conf-file={config}", "--keep-in-foreground", "--pid-file="])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var dnsmasq = new Dnsmasq(process, folder, port);
        await dnsmasq.WaitUntilAnsweringAsync();
        return dnsmasq;
    }

    /// <summary>A UDP port nobody listens on now: for "the resolver is down".</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var client = new DnsClient.LookupClient(new DnsClient.LookupClientOptions(new IPEndPoint(IPAddress.Loopback, Port))
        {
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
            UseCache = false,
        });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("dnsmasq did not start: " + await _process.StandardError.ReadToEndAsync());
            }

            try
            {
                await client.QueryAsync("ready.invalid", DnsClient.QueryType.TXT);
                return;
            }
            catch (DnsClient.DnsResponseException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
