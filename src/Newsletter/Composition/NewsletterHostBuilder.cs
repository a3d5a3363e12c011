using Newsletter.Cli;
using Newsletter.Hosting;

namespace Newsletter.Composition;

/// <summary>The builder every entry point shares (the worker, each command, the tests, the benchmark).</summary>
public static class NewsletterHostBuilder
{
    public static WebApplicationBuilder Create(string[] args)
    {
        var hostArgs = CommandLine.HostArgs(args);

        // WebApplicationFactory passes its own --contentRoot; only choose one when nobody did.
        var chooseRoot = !hostArgs.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = hostArgs,
            ContentRootPath = chooseRoot ? AppRoot.Find() : null,
        });

        if (!CommandLine.IsRun(args))
        {
            // A command's own output goes to stdout; the log (progress, warnings) goes to stderr.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        }

        builder.Services.AddNewsletterDefaults();
        return builder;
    }
}
