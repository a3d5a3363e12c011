using System.Net;
using Newsletter.Tests.Fixtures;
using Newsletter.Hosting;
using Newsletter.Web;

namespace Newsletter.Tests.Web;

public sealed class AdminAuthTests : IDisposable
{
    private readonly NewsletterApp _app = new();

    [Fact]
    public async Task StrangerIsRefusedBeforeTheBodyIsRead()
    {
        var client = _app.CreateClient();

        var response = await client.PostAsync("/api/digests/preview", SampleComparisons.Content("{ this is not json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GuessingTheKeyIsStoppedAfterAFewTries()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "guess");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < AdminAuth.WrongKeysPerMinute + 2; i++)
        {
            answers.Add((await client.GetAsync("/api/comparisons")).StatusCode);
        }

        Assert.All(answers.Take(AdminAuth.WrongKeysPerMinute), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        // Even the right key waits: a locked-out address learns nothing more this minute.
        var right = _app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await right.GetAsync("/api/comparisons")).StatusCode);
    }

    [Fact]
    public void SessionCookieWorksUntilItsLifetimeEndsOrTheKeyChanges()
    {
        var clock = new Clock { Now = DateTimeOffset.Parse("2026-11-24T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture) };
        var options = new Monitor(new NewsletterOptions { AdminApiKey = "a-key-of-sixteen-chars" });
        var auth = new AdminAuth(options, clock);
        var cookie = auth.SessionValue();

        clock.Now += AdminAuth.SessionLifetime - TimeSpan.FromMinutes(1);
        Assert.True(auth.IsValidSession(cookie));

        clock.Now += TimeSpan.FromMinutes(2);
        Assert.False(auth.IsValidSession(cookie));

        // A later issue time written into an expired cookie does not revive it: the HMAC covers the time.
        var issued = long.Parse(cookie.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
        var later = (issued + (long)TimeSpan.FromDays(2).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(auth.IsValidSession(later + "." + cookie.Split('.')[1]));
        options.CurrentValue.AdminApiKey = "another-key-of-sixteen";
        Assert.False(auth.IsValidSession(cookie));
    }

    public void Dispose() => _app.Dispose();

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Monitor(NewsletterOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<NewsletterOptions>
    {
        public NewsletterOptions CurrentValue => value;

        public NewsletterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<NewsletterOptions, string?> listener) => null;
    }
}
