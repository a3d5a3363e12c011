using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>
/// Postfix's smtp-sink on a free loopback port, with no dump: it accepts and discards, so that the
/// server is never what limits a client. Every client in one run talks to the same sink.
/// </summary>
internal sealed class SmtpSinkProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/smtp-sink";

    private readonly Process _process;

    private SmtpSinkProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    public static async Task<SmtpSinkProcess> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install Postfix (run.sh does)");
        }

        var port = FreePort();
        var args = new List<string>();

        // smtp-sink demands -u when started as root (it drops privileges); other users may not pass it.
        if (Environment.UserName == "root")
        {
            args.AddRange(["-u", "postfix"]);
        }

        // 1024: the listen backlog, so that many clients connecting at once are never refused.
        args.AddRange([$"127.0.0.1:{port}", "1024"]);
        var process = Process.Start(new ProcessStartInfo(Executable, args)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;

        var sink = new SmtpSinkProcess(process, port);
        await sink.WaitUntilListeningAsync();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"smtp-sink exited: {await _process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("smtp-sink did not start listening");
    }
}
