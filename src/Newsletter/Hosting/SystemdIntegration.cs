using Microsoft.Extensions.Hosting.Systemd;

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

    public static WebApplicationBuilder AddSystemdWhenWanted(this WebApplicationBuilder builder)
    {
        if (Wanted)
        {
            // journald keeps stdout without the terminal's colours and reads each line's level from
            // its "<N>" prefix: the systemd formatter writes "<6>Category[0] message", one line each.
            builder.Logging.AddSystemdConsole();
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        return builder;
    }
}
