using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// A real SMTP server for the tests: Postfix's smtp-sink on a free loopback port, dumping every
/// message it accepts to a temp folder, read back with MimeKit. Fault options (-r, -f, -Q, -q, -w …)
/// can be passed to make it refuse, drop or slow down (see `man smtp-sink`).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/smtp-sink";

    private readonly Process _process;

    private SmtpSink(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>Where each received message lands as a file.</summary>
    public string Folder { get; }

    /// <summary>Starts a sink. <paramref name="faults"/> are extra smtp-sink options, e.g. ["-r", "RCPT"].</summary>
    public static async Task<SmtpSink> StartAsync(params string[] faults) => await StartAsync(dump: true, faults);

    public static async Task<SmtpSink> StartAsync(bool dump, params string[] faults) => await StartAsync(FreePort(), dump, faults);

    /// <summary>
    /// Starts a sink on a given port: after <see cref="StopAsync"/> of another sink, the same address
    /// comes back with other behaviour (smtp-sink's fault options hold for its whole life).
    /// </summary>
    public static async Task<SmtpSink> StartAsync(int port, bool dump, params string[] faults)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install Postfix (the test command in README.md does)");
        }

        var folder = Directory.CreateTempSubdirectory("newsletter-sink-").FullName;

        // smtp-sink drops root privileges to -u postfix, so that user must own the dump folder.
        if (Environment.UserName == "root")
        {
            using var chown = Process.Start("chown", ["postfix", folder]);
            await chown.WaitForExitAsync();
        }

        var args = new List<string>();
        if (Environment.UserName == "root")
        {
            args.AddRange(["-u", "postfix"]);
        }

        if (dump)
        {
            args.AddRange(["-d", Path.Combine(folder, "%Y%m%d%H%M%S.")]);
        }

        args.AddRange(faults);
        args.AddRange([$"127.0.0.1:{port}", "1024"]);

        var process = Process.Start(new ProcessStartInfo(Executable, args)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;

        var sink = new SmtpSink(process, port, folder);
        await sink.WaitUntilListeningAsync();
        return sink;
    }

    /// <summary>
    /// smtp-sink writes each dump while the message arrives; a file not written to for this long is
    /// whole. Reading one sooner can meet half a message.
    /// </summary>
    private static readonly TimeSpan Settled = TimeSpan.FromMilliseconds(250);

    /// <summary>Every message received so far, oldest file first; waits for dumps still being written.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Files().Any(f => !IsSettled(f)) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        return [.. Files().OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => ReceivedMail.Load(f.FullName))];
    }

    /// <summary>Waits until at least <paramref name="count"/> whole messages are in, or fails after the timeout.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var settled = Files().Count(IsSettled);
            if (settled >= count)
            {
                return Messages();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"smtp-sink received {settled} messages, expected {count}");
            }

            await Task.Delay(50);
        }
    }

    private List<FileInfo> Files()
    {
        var files = new DirectoryInfo(Folder).GetFiles("*", SearchOption.AllDirectories).ToList();
        files.ForEach(f => f.Refresh());
        return files;
    }

    private static bool IsSettled(FileInfo file) => DateTime.UtcNow - file.LastWriteTimeUtc > Settled;

    /// <summary>Kills the server (clients see the connection drop) and keeps what it received.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Forgets what was received so far (between tests that share one sink).</summary>
    public void Clear()
    {
        foreach (var file in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A message still being written; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>A loopback port nothing listens on (until something is started on it).</summary>
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

/// <summary>One message as the sink received it: the envelope recipients and the MIME message.</summary>
public sealed record ReceivedMail(string File, IReadOnlyList<string> Recipients, MimeMessage Message)
{
    public static ReceivedMail Load(string file)
    {
        var message = MimeMessage.Load(file);

        // smtp-sink prepends X-Rcpt-Args: <address> lines naming the envelope recipients.
        var recipients = message.Headers
            .Where(h => h.Field.Equals("X-Rcpt-Args", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value.Trim().TrimStart('<').Split('>')[0])
            .ToList();
        return new ReceivedMail(file, recipients, message);
    }

    /// <summary>The envelope sender (MAIL FROM), from the X-Mail-Args line smtp-sink prepends.</summary>
    public string EnvelopeSender => Message.Headers["X-Mail-Args"]?.Trim().TrimStart('<').Split('>')[0] ?? "";

    public string Text => Message.TextBody ?? "";

    public string Html => Message.HtmlBody ?? "";
}
