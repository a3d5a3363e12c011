namespace Newsletter.Hosting;

/// <summary>
/// What every feature shares about the host it runs in (eShop's ServiceDefaults, in small): the
/// clock, the "Newsletter" options, and where a configured path points. The composition root
/// (Newsletter.Composition) builds the host; features only see this.
/// </summary>
public static class NewsletterHost
{
    public static IServiceCollection AddNewsletterDefaults(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSection<NewsletterOptions>(NewsletterOptions.Section);
        return services;
    }

    /// <summary>Resolves a configured path to one of the product's own files (a key, templates) against the content root.</summary>
    public static string ResolvePath(this IHostEnvironment environment, string path) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, path));

    /// <summary>Resolves a configured path to data the product writes (SQLite file, outbox) against <see cref="AppRoot.DataRoot"/>.</summary>
    public static string ResolveDataPath(this IHostEnvironment environment, string path) =>
        Path.GetFullPath(Path.Combine(AppRoot.DataRoot(environment.ContentRootPath), path));
}
