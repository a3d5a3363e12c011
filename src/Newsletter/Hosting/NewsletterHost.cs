using Microsoft.Extensions.Options;
using Newsletter.Cli;
using Newsletter.Templates;

namespace Newsletter.Hosting;

/// <summary>The builder every entry point shares (the worker, each command, the tests).</summary>
public static class NewsletterHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
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

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSection<NewsletterOptions>(NewsletterOptions.Section);
        return builder;
    }

    /// <summary>Resolves a configured path (SQLite file, outbox, key) against the content root.</summary>
    public static string ResolvePath(this IHostEnvironment environment, string path) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, path));

    /// <summary>Everything but WebApplicationFactory's deliberate stop after Build().</summary>
    public static bool IsStartupError(Exception e) => e is not HostAbortedException;

    public static string Describe(Exception e) => e switch
    {
        AggregateException a when a.Flatten().InnerExceptions.All(i => i is OptionsValidationException) =>
            "configuration error: " + string.Join("; ", a.Flatten().InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures)),
        AggregateException a => string.Join("; ", a.Flatten().InnerExceptions.Select(Describe)),
        OptionsValidationException o => "configuration error: " + string.Join("; ", o.Failures),
        InvalidOperationException i when i.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            "configuration error: " + i.Message,
        TemplateException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException => e.Message,
        _ => $"{e.Message} ({e.GetType().Name})",
    };
}
