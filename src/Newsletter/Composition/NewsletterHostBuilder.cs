using Microsoft.Extensions.Configuration.Json;
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
        AddOperatorSettings(builder.Configuration);

        if (!CommandLine.IsRun(args))
        {
            // A command's own output goes to stdout; the log (progress, warnings) goes to stderr.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        }

        builder.AddSystemdWhenWanted();
        builder.Services.AddNewsletterDefaults();
        return builder;
    }

    /// <summary>
    /// The operator's file (/etc/newsletter/appsettings.json, or NEWSLETTER_SETTINGS) goes right after
    /// the shipped appsettings*.json: it overrides them, and the environment and the command line
    /// still override it. An upgrade replaces the shipped file, never this one.
    /// </summary>
    private static void AddOperatorSettings(ConfigurationManager configuration)
    {
        if (AppRoot.SettingsFile() is not { } file)
        {
            return;
        }

        if (file.Required && !File.Exists(file.Path))
        {
            throw new FileNotFoundException($"{AppRoot.SettingsVariable} names {file.Path}, which does not exist");
        }

        var lastJson = configuration.Sources.Select((s, i) => (s, i)).LastOrDefault(p => p.s is JsonConfigurationSource).i;
        var source = new JsonConfigurationSource { Path = file.Path, Optional = !file.Required, ReloadOnChange = false };
        source.ResolveFileProvider();
        configuration.Sources.Insert(lastJson + 1, source);
    }
}
