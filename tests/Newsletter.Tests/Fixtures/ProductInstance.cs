using System.Diagnostics;
using System.Text;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// One instance of the product as an operator runs it (`Newsletter.dll run`: web front, delivery
/// engine, schedule) in a process of its own, on a free loopback port, with its log kept for the
/// test. Several of them on one PostgreSQL database are a cluster; <see cref="Kill"/> is `kill -9`.
/// </summary>
public sealed class ProductInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ProductInstance(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>Everything the instance wrote to stdout and stderr so far.</summary>
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

    /// <summary>Starts `run` with these settings (environment variables, e.g. Smtp__Host) and waits until /health answers 200.</summary>
    public static async Task<ProductInstance> StartAsync(IDictionary<string, string?> environment)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{SmtpSink.FreePort()}");
        var env = new Dictionary<string, string?>(environment)
        {
            ["Urls"] = baseAddress.ToString(),
            ["NEWSLETTER_ROOT"] = NewsletterApp.RepositoryRoot,
        };
        var instance = new ProductInstance(CliProcess.Start(["run"], env), baseAddress);
        await instance.WaitUntilHealthyAsync();
        return instance;
    }

    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", NewsletterApp.AdminKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no lease released, mails on the wire cut off.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the instance exited at start with code {_process.ExitCode}: {Log}");
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
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the instance did not answer /health within 90 s: " + Log);
    }
}
