using Microsoft.AspNetCore.DataProtection;

namespace Newsletter.Data;

/// <summary>
/// The keys that encrypt editors' session cookies (ASP.NET Core Data Protection) live in the
/// database, in DataProtectionKeys, not in a per-machine folder: every instance behind a load
/// balancer reads and writes one key ring, so a cookie made by one instance opens on any other. The
/// application name is fixed, not the default content-root path, which differs between machines and
/// would keep their cookies apart.
/// </summary>
public static class SharedDataProtection
{
    public const string ApplicationName = "Newsletter";

    public static IServiceCollection AddSharedDataProtectionKeys(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<NewsletterDbContext>();
        return services;
    }
}
