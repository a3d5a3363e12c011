using System.Net;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>Its own app with a limit of 3 signups per minute, so no other test spends its permits.</summary>
// SQLite only: the limit is ASP.NET Core's in-memory per-IP limiter; signups on PostgreSQL are SignupOnPostgresTests'.
public sealed class SignupRateLimitTests(SignupRateLimitTests.App app) : IClassFixture<SignupRateLimitTests.App>
{
    public sealed class App() : NewsletterApp(new Dictionary<string, string?> { ["Subscribers:SignupsPerMinutePerIp"] = "3" });

    [Fact]
    public async Task FourthSignupAttemptWithinAMinuteGets429WithAPage()
    {
        var client = app.CreateClient();
        Task<HttpResponseMessage> Post(int i) => client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = $"limit{i}@example.com",
        }));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Post(i)).StatusCode);
        }

        var refused = await Post(3);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("text/html", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Too many attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The limit is on signups only: the pages still answer.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }
}
