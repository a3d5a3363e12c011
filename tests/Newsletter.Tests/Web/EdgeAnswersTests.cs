using System.Net;
using System.Text.Json;
using Newsletter.Tests.Fixtures;
using Newsletter.Web;

namespace Newsletter.Tests.Web;

/// <summary>
/// The probe's smaller findings: the console's pagination at its edges, HEAD on the public votes API,
/// Retry-After on every 429, and the OpenAPI document's server taken from the site's address.
/// </summary>
public sealed class EdgeAnswersTests(EdgeAnswersTests.Fixture f) : IClassFixture<EdgeAnswersTests.Fixture>
{
    /// <summary>On Kestrel: HEAD answers lose their body there, as they do in production.</summary>
    public sealed class Fixture : NewsletterApp
    {
        public Fixture() => StartKestrel();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task AConsolePageBelowOneIsRefusedAsTheApiRefusesIt(string page)
    {
        var console = await f.CreateAdminClient().GetAsync("/admin/subscribers?page=" + page);
        var api = await f.CreateAdminClient().GetAsync("/api/subscribers?page=" + page);

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, console.StatusCode);
        Assert.Contains("pages start at 1", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLastIntPageLinksToNoNegativePage()
    {
        var response = await f.CreateAdminClient().GetAsync("/admin/subscribers?page=" + int.MaxValue);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("page=-", html, StringComparison.Ordinal);
        Assert.Contains("page=" + (int.MaxValue - 1), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadOnTheVotesApiAnswersLikeGetWithoutABody()
    {
        var head = await f.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/comparisons/no-such-comparison/votes"));
        var get = await f.CreateClient().GetAsync("/api/comparisons/no-such-comparison/votes");

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ARateLimited429SaysWhenToComeBack()
    {
        var client = f.CreateClient();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < HealthEndpoint.PerClientPer10Seconds + 5 && limited is null; i++)
        {
            var response = await client.GetAsync("/health");
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        var seconds = limited.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.InRange(seconds ?? -1, 1, 10);
    }

    [Fact]
    public async Task TooManyWrongKeysSaysWhenToComeBack()
    {
        var client = f.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong-key-for-retry-after");
        HttpResponseMessage? limited = null;
        for (var i = 0; i < Editors.WrongKeysPerMinute + 2 && limited is null; i++)
        {
            var response = await client.GetAsync("/api/comparisons");
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task TheOpenApiServerIsTheSitesAddressNotTheRequestsHost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example";

        var document = JsonDocument.Parse(await (await f.CreateClient().SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        var server = Assert.Single(document.GetProperty("servers").EnumerateArray());
        Assert.Equal("https://verdicts.example.com", server.GetProperty("url").GetString());
    }
}
