using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace Newsletter.Hosting;

/// <summary>
/// Running as a systemd service with Type=notify: READY=1 once the host has started (migrations
/// done, the web front listening: both are hosted services that start before ApplicationStarted),
/// STOPPING=1 when the stop begins, SIGTERM as the stop signal, and log lines journald understands.
/// </summary>
public static class SystemdIntegration
{
    /// <summary>
    /// .NET's UseSystemd() switches on only when the parent process is systemd, which a unit with
    /// ProtectProc=invisible hides and a test cannot be. NOTIFY_SOCKET is the contract itself: whoever
    /// sets it wants the notifications, so it is what decides here.
    /// </summary>
    public static bool Wanted => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
        || SystemdHelpers.IsSystemdService();

    /// <summary>
    /// journald stores stdout without the terminal's colours and reads the level from a "&lt;N&gt;"
    /// prefix; JOURNAL_STREAM is set when stdout goes to the journal.
    /// </summary>
    public static bool LogsToJournal => Wanted || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    public static WebApplicationBuilder AddSystemdWhenWanted(this WebApplicationBuilder builder)
    {
        if (LogsToJournal)
        {
            // The systemd formatter: "<6>Category[0] message", one line, no colour codes.
            builder.Logging.AddSystemdConsole();
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
        }

        if (Wanted)
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        return builder;
    }
}
