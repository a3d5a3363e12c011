using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Tests.Fixtures;

/// <summary>
/// The real clock, moved ahead by a fixed offset: time runs as usual (timers, delays, stopwatches),
/// but "now" is later, as if the process were started that much later. The app's services and its
/// Quartz scheduler (which takes the container's TimeProvider) read it, so a test can start an app
/// "after" a fire time without waiting for it.
/// </summary>
public sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

    /// <summary>The app as it starts at <paramref name="now"/> (real time from then on).</summary>
    public static WebApplicationFactory<Program> StartingAt(NewsletterApp app, DateTimeOffset now)
    {
        var clock = new ShiftedClock(now - DateTimeOffset.UtcNow);
        return app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
    }
}
