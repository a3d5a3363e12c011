using System.Diagnostics;
using System.Text;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Production;

/// <summary>`Newsletter run` from a published folder, on a free port, with its log kept.</summary>
public sealed class PublishedInstance : IAsyncDisposable
{
    private readonly StringBuilder _log = new();

    private PublishedInstance(Process process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public Uri BaseAddress { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts it; does not wait (the test decides what "started" means: READY=1 or /health).</summary>
    public static async Task<PublishedInstance> StartAsync(Dictionary<string, string?> environment, string workingFolder)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{SmtpSink.FreePort()}");
        var env = new Dictionary<string, string?>(environment) { ["Urls"] = baseAddress.ToString() };
        return new PublishedInstance(await PublishedBuild.StartAsync(["run"], env, workingFolder), baseAddress);
    }

    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", NewsletterApp.AdminKey);
        return client;
    }

    public async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the instance exited at start with code {Process.ExitCode}: {Log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the instance did not answer /health within 90 s: " + Log);
    }

    /// <summary>SIGTERM, then waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        PublishedBuild.Terminate(Process);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"still running {timeout.TotalSeconds} s after SIGTERM: {Log}");
        }

        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
