using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Newsletter.Web;

namespace Newsletter.Subscribers;

public static class SubscribersServiceCollectionExtensions
{
    public static IServiceCollection AddSubscribers(this IServiceCollection services)
    {
        services.AddSection<SubscribersOptions>(SubscribersOptions.Section);
        services.AddScoped<Signup>();
        services.AddScoped<Confirmation>();
        services.AddScoped<Unsubscription>();
        services.AddSingleton<UnsubscribeWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<UnsubscribeWriter>());
        services.AddScoped<Preferences.ReaderPreferences>();
        services.AddSingleton<IReaderMerge, Preferences.MergedReaderPreferences>();
        services.AddScoped<Preferences.ReaderChoiceCounts>();
        services.AddScoped<Preferences.ReaderDataRequests>();
        services.AddSingleton<Preferences.DataRequestMail>();
        services.AddSingleton<Preferences.DataLinkBacklog>();
        services.AddSingleton<Preferences.DataRequestMailer>();
        services.AddHostedService(sp => sp.GetRequiredService<Preferences.DataRequestMailer>());
        services.AddScoped<SubscriberImport>();
        services.AddScoped<SubscriberExport>();
        services.AddScoped<SubscriberDirectory>();
        services.AddScoped<SubscriberCounts>();
        services.AddSingleton<ConfirmationMail>();
        services.AddSingleton<ConfirmationBacklog>();
        services.AddSingleton<WelcomeBacklog>();
        services.AddSingleton<ConfirmationMailer>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfirmationMailer>());
        services.AddSingleton<IReaderDepartures, DepartureJournal>();
        // Before the departures are replayed: the journal names readers by their canonical key.
        services.AddSingleton<DuplicateReaders>();
        services.AddHostedService(sp => sp.GetRequiredService<DuplicateReaders>());
        services.AddSingleton<DepartureReplay>();
        services.AddHostedService(sp => sp.GetRequiredService<DepartureReplay>());
        services.AddRateLimiter(o =>
        {
            // Per client IP, a fixed window of one minute. Behind a reverse proxy, configure the
            // forwarded headers so that the client's address is the one counted.
            o.AddPolicy(SignupPages.SignupPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<SubscribersOptions>>().Value.SignupsPerMinutePerIp,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                // The limiter knows when its window opens again (health: 10 s windows, signup: a minute).
                http.Response.Headers.RetryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry)
                    ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "60";
                await SignupPages.TooManyAttempts(http.RequestServices.GetRequiredService<PageRenderer>()).ExecuteAsync(http);
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSubscribers(this IEndpointRouteBuilder app)
    {
        app.MapSignupPages();
        Preferences.PreferencePages.MapPreferencePages(app);
        Preferences.DataRequestPages.MapDataRequestPages(app);
        app.MapSubscribersApi();
        return app;
    }
}
