namespace Newsletter.Hosting;

/// <summary>
/// Where the product's files live: appsettings.json, templates/, the SQLite file and outbox/.
/// </summary>
/// <remarks>
/// `dotnet run --project src/Newsletter` keeps the caller's working directory, so the working
/// directory alone cannot be trusted to hold appsettings.json. The checkout is the folder above the
/// binary that holds Newsletter.sln; a published copy has no solution and uses its working directory.
/// NEWSLETTER_ROOT overrides both.
/// </remarks>
public static class AppRoot
{
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

        return Directory.GetCurrentDirectory();
    }
}
