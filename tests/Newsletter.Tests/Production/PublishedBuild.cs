using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Production;

/// <summary>
/// `dotnet publish src/Newsletter -o DIR` as an operator runs it, once for the whole test run
/// (--no-build: the test build compiled the project already, so this only lays out the folder:
/// the binary, appsettings.json and templates/). Nothing from the checkout is visible to it:
/// processes start from a working folder of their own, without NEWSLETTER_ROOT.
/// </summary>
public static class PublishedBuild
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    public static Task<string> FolderAsync() => Published.Value;

    /// <summary>Settings for a published instance: its own database and outbox in <paramref name="data"/>, and the admin key.</summary>
    public static Dictionary<string, string?> Environment(string data) => new()
    {
        ["ConnectionStrings__Newsletter"] = $"Data Source={Path.Combine(data, "newsletter.db")}",
        ["Smtp__PickupDirectory"] = Path.Combine(data, "outbox"),
        ["Newsletter__PublicBaseUrl"] = "https://verdicts.example.com",
        ["Newsletter__From"] = "AI Tool Verdicts <digest@verdicts.example.com>",
        ["Newsletter__AdminApiKey"] = NewsletterApp.AdminKey,
        ["Digest__SendWhenEmpty"] = "true",
        ["Delivery__ProgressInterval"] = "00:00:01",
    };

    public static Dictionary<string, string?> WithSink(this Dictionary<string, string?> env, SmtpSink sink, int connections = 2)
    {
        env["Smtp__Host"] = sink.Host;
        env["Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        env["Smtp__Security"] = "None";
        env["Smtp__Connections"] = connections.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>Starts the published executable (the apphost, as a unit's ExecStart= names it) from <paramref name="workingFolder"/>.</summary>
    public static async Task<Process> StartAsync(IEnumerable<string> args, IDictionary<string, string?> environment, string workingFolder)
    {
        var info = new ProcessStartInfo(Path.Combine(await FolderAsync(), "Newsletter"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingFolder,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The test host's own settings must not leak in: the published folder is all it has.
        info.Environment.Remove("NEWSLETTER_ROOT");
        info.Environment.Remove("NOTIFY_SOCKET");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    public static async Task<CliProcess.Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?> environment, string workingFolder)
    {
        using var process = await StartAsync(args, environment, workingFolder);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"newsletter {string.Join(' ', args)} did not finish: {await stderr}");
        }

        return new CliProcess.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>What `kill PID` and systemd's stop send.</summary>
    public static void Terminate(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task<string> PublishAsync()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var folder = Directory.CreateTempSubdirectory("newsletter-published-").FullName;
        var project = Path.Combine(NewsletterApp.RepositoryRoot, "src", "Newsletter", "Newsletter.csproj");
        var info = new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "--no-build", "-o", folder, "-v", "q", "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(info)!;
        var output = Task.WhenAll(publish.StandardOutput.ReadToEndAsync(), publish.StandardError.ReadToEndAsync());
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish failed: " + string.Join("\n", await output));
        }

        return folder;
    }
}

/// <summary>
/// The socket systemd listens on for a Type=notify service: a Unix datagram socket whose path goes
/// to the service in NOTIFY_SOCKET. Keeps every datagram with when it came.
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _received = [];
    private readonly CancellationTokenSource _stop = new();

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"newsletter-notify-{Guid.NewGuid():N}.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _ = ReceiveAsync();
    }

    public string Path { get; }

    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits for a datagram holding <paramref name="state"/> (e.g. "READY=1").</summary>
    public async Task WaitForAsync(string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Received.Any(r => r.Split('\n').Contains(state)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {state} within {timeout}; got: {string.Join(" | ", Received)}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
        File.Delete(Path);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                lock (_received)
                {
                    _received.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
