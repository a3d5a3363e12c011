using System.Diagnostics;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Benchmarks.Infrastructure;

/// <summary>
/// The product itself (`Newsletter.dll run`: web front, worker, schedule) as its own process on a
/// free loopback port, with a temp database and the sink as its SMTP server: what a load test of
/// the web front should meet, Kestrel and all.
/// </summary>
internal sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private ProductProcess(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>User + system CPU the product process has used so far.</summary>
    public double CpuSeconds
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime.TotalSeconds;
        }
    }

    /// <summary>The process's peak resident set so far (VmHWM on Linux).</summary>
    public long PeakRssBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    public static async Task<ProductProcess> StartAsync(SmtpSink sink, IReadOnlyDictionary<string, string> environment)
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-bench-app-").FullName;
        var baseAddress = new Uri($"http://127.0.0.1:{SmtpSink.FreePort()}");
        var start = new ProcessStartInfo("dotnet", [BenchPaths.ProductDll, "run"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NEWSLETTER_ROOT"] = BenchPaths.RepoRoot;
        start.Environment["Urls"] = baseAddress.ToString();
        start.Environment["ConnectionStrings__Newsletter"] = $"Data Source={Path.Combine(folder, "newsletter.db")}";
        start.Environment["Smtp__Host"] = sink.Host;
        start.Environment["Smtp__Port"] = $"{sink.Port}";
        start.Environment["Smtp__Security"] = "None";
        start.Environment["Newsletter__PublicBaseUrl"] = baseAddress.ToString().TrimEnd('/');

        // A log line per request would measure the console, not the product.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;

        // Drain both pipes so a chatty product never blocks on a full pipe.
        // The last lines are kept: they say why a product that never became healthy did not.
        var lastLines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is not null)
            {
                lastLines.Enqueue(line);
                while (lastLines.Count > 20 && lastLines.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var product = new ProductProcess(process, folder, baseAddress);
        try
        {
            await product.WaitUntilHealthyAsync();
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await product.DisposeAsync();
            throw new InvalidOperationException($"{e.Message}; its last output:\n{string.Join('\n', lastLines)}", e);
        }

        return product;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the product exited at start with code {_process.ExitCode}");
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

        throw new TimeoutException("the product did not answer /health within 180 s");
    }
}
