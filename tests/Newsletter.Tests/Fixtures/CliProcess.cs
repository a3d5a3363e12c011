using System.Diagnostics;
using Newsletter.Data;

namespace Newsletter.Tests.Fixtures;

/// <summary>Runs the product's executable as a child process, as an operator would from a shell.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The built Newsletter.dll beside the tests (the project reference copies it).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Newsletter.dll");

    /// <summary>Starts the executable without waiting (for tests that kill it mid-work).</summary>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?> environment, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        using var process = Start(args, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"newsletter {string.Join(' ', args)} did not finish: {await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Settings (as environment variables) that give a command its own database and outbox.</summary>
    public static Dictionary<string, string?> IsolatedEnvironment(string folder) => new()
    {
        ["ConnectionStrings__Newsletter"] = $"Data Source={Path.Combine(folder, "newsletter.db")}",
        ["Smtp__PickupDirectory"] = Path.Combine(folder, "outbox"),
        ["Templates__Path"] = Path.Combine(NewsletterApp.RepositoryRoot, "templates"),
        ["Newsletter__PublicBaseUrl"] = "https://verdicts.example.com",
    };

    /// <summary>
    /// The same, on a database of <paramref name="provider"/> the test owns (e.g. one from
    /// <see cref="PostgresServer.CreateDatabase"/>), as an operator sets Database:Provider.
    /// </summary>
    public static Dictionary<string, string?> IsolatedEnvironment(string folder, DatabaseProvider provider, string connectionString)
    {
        var environment = IsolatedEnvironment(folder);
        environment["Database__Provider"] = provider.ToString();
        environment["ConnectionStrings__Newsletter"] = connectionString;
        return environment;
    }
}
