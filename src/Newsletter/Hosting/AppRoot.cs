namespace Newsletter.Hosting;

/// <summary>
/// Where the product's files live: its own (appsettings.json, templates/) under the content root,
/// its data (the SQLite file, outbox/) under the data root, and the operator's extra settings file.
/// </summary>
/// <remarks>
/// `dotnet run --project src/Newsletter` keeps the caller's working directory, so the working
/// directory alone cannot be trusted to hold appsettings.json. The checkout is the folder above the
/// binary that holds Newsletter.sln; a published folder (`dotnet publish`) holds appsettings.json
/// beside the binary. NEWSLETTER_ROOT overrides both.
/// </remarks>
public static class AppRoot
{
    /// <summary>Names the extra settings file; without it, <see cref="DefaultSettingsFile"/> is read when it exists.</summary>
    public const string SettingsVariable = "NEWSLETTER_SETTINGS";

    public const string DefaultSettingsFile = "/etc/newsletter/appsettings.json";

    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("NEWSLETTER_ROOT");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Newsletter.sln")))
            {
                return dir.FullName;
            }
        }

        return IsPublished ? BinaryFolder : Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// What a relative data path (Data Source=newsletter.db, Smtp:PickupDirectory) is relative to.
    /// Under systemd the unit's StateDirectory=; in a checkout the checkout (as it always was); else
    /// the working directory. Never a published binary's own folder: it is read-only under
    /// ProtectSystem=strict, and an upgrade replaces it. An absolute path in the settings wins.
    /// </summary>
    public static string DataRoot(string contentRoot)
    {
        // systemd passes one path per StateDirectory= entry, separated by colons; the first is ours.
        var state = Environment.GetEnvironmentVariable("STATE_DIRECTORY");
        if (!string.IsNullOrWhiteSpace(state))
        {
            return Path.GetFullPath(state.Split(':')[0]);
        }

        return SameFolder(contentRoot, BinaryFolder) && IsPublished ? Directory.GetCurrentDirectory() : contentRoot;
    }

    /// <summary>
    /// The operator's settings file: the one NEWSLETTER_SETTINGS names (it must exist), or
    /// /etc/newsletter/appsettings.json when it exists; null when there is none.
    /// </summary>
    public static (string Path, bool Required)? SettingsFile()
    {
        var named = Environment.GetEnvironmentVariable(SettingsVariable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return (Path.GetFullPath(named), true);
        }

        return File.Exists(DefaultSettingsFile) ? (DefaultSettingsFile, false) : null;
    }

    private static string BinaryFolder => Path.GetFullPath(AppContext.BaseDirectory);

    /// <summary>`dotnet publish` puts appsettings.json beside the binary; a build's output has none.</summary>
    private static bool IsPublished => File.Exists(Path.Combine(BinaryFolder, "appsettings.json"));

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);
}
