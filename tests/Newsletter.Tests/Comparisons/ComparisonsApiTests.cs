using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Comparisons;

public class ComparisonsApiTests(ComparisonsApiTests.App app) : IClassFixture<ComparisonsApiTests.App>
{
    public class App : NewsletterApp
    {
        public App()
        {
        }

        protected App(DatabaseProvider provider)
            : base(provider: provider)
        {
        }
    }

    [Fact]
    public async Task SampleComparisonIsCreatedThenUpdatedAndListed()
    {
        var client = app.CreateAdminClient();
        var node = SampleComparisons.With("sample-put", DateTimeOffset.Parse("2026-11-19T15:00:00Z", CultureInfo.InvariantCulture));

        var first = await client.PutAsync("/api/comparisons/sample-put", SampleComparisons.Content(node));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        node["title"] = "Renamed <b>verdict</b>";
        var second = await client.PutAsync("/api/comparisons/sample-put", SampleComparisons.Content(node));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var list = await client.GetFromJsonAsync<JsonElement[]>("/api/comparisons");
        var item = Assert.Single(list!, c => c.GetProperty("slug").GetString() == "sample-put");
        Assert.Equal("Renamed <b>verdict</b>", item.GetProperty("title").GetString());
        Assert.False(item.GetProperty("carried").GetBoolean());
    }

    [Fact]
    public async Task ListIsNewestFirst()
    {
        var client = app.CreateAdminClient();
        await client.PutAsync("/api/comparisons/order-old", SampleComparisons.Content(SampleComparisons.With("order-old", DateTimeOffset.Parse("2020-01-01T00:00:00+02:00", CultureInfo.InvariantCulture))));
        await client.PutAsync("/api/comparisons/order-new", SampleComparisons.Content(SampleComparisons.With("order-new", DateTimeOffset.Parse("2030-01-01T00:00:00-05:00", CultureInfo.InvariantCulture))));

        var slugs = (await client.GetFromJsonAsync<JsonElement[]>("/api/comparisons"))!
            .Select(c => c.GetProperty("slug").GetString())
            .Where(s => s!.StartsWith("order-", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["order-new", "order-old"], slugs);
    }

    [Fact]
    public async Task MalformedComparisonGets400NamingEveryBadField()
    {
        var client = app.CreateAdminClient();
        const string json = """
            {
              "title": "",
              "url": "ftp://example.com/x",
              "publishedAt": "2026-11-19T15:00:00",
              "tools": [ { "name": "Only", "panelShipPercent": 101, "communityShipPercent": -1 } ],
              "reviews": [ { "tool": "Other", "verdict": "maybe" } ]
            }
            """;

        var response = await client.PutAsync("/api/comparisons/Bad_Slug", SampleComparisons.Content(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "slug", "title", "url", "publishedAt", "tools", "tools[0].panelShipPercent",
                "tools[0].communityShipPercent", "reviews[0].tool", "reviews[0].verdict",
            },
            fields);
        Assert.Empty(await app.WithDbAsync(db => Task.FromResult(db.Comparisons.Where(c => c.Slug == "Bad_Slug").ToList())));
    }

    [Fact]
    public async Task NotJsonGets400NamingTheField()
    {
        var client = app.CreateAdminClient();
        var response = await client.PutAsync("/api/comparisons/typed", SampleComparisons.Content("""{ "tools": [ { "panelShipPercent": "high" } ] }"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("tools[0].panelShipPercent", out _), errors.ToString());
    }

    [Fact]
    public async Task BodySlugThatDiffersFromTheUrlIsRefused()
    {
        var client = app.CreateAdminClient();
        var response = await client.PutAsync("/api/comparisons/other-slug", SampleComparisons.Content(SampleComparisons.Node()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("slug", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSlugInTheBodyIsReportedWithEveryOtherInvalidField()
    {
        var client = app.CreateAdminClient();
        var node = SampleComparisons.Node();
        node["slug"] = "other";
        node["title"] = "";
        node["url"] = "not a url";

        var response = await client.PutAsync("/api/comparisons/bad", SampleComparisons.Content(node));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Superset(new HashSet<string> { "slug", "title", "url" }, errors.EnumerateObject().Select(p => p.Name).ToHashSet());
        Assert.Contains("(bad)", errors.GetProperty("slug")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryValueOfTheWrongTypeIsNamedInPlainWords()
    {
        var client = app.CreateAdminClient();
        const string json = """
            { "title": 5, "tools": [ { "name": "A", "panelShipPercent": "high" }, { "name": ["B"], "communityShipPercent": 1.5 } ], "reviews": {} }
            """;

        var response = await client.PutAsync("/api/comparisons/typed-all", SampleComparisons.Content(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Equal(
            ["reviews", "title", "tools[0].panelShipPercent", "tools[1].communityShipPercent", "tools[1].name"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("must be a whole number or null, not text", errors.GetProperty("tools[0].panelShipPercent")[0].GetString());
        Assert.Equal("must be a whole number, not the number 1.5", errors.GetProperty("tools[1].communityShipPercent")[0].GetString());
        Assert.Equal("must be text, not a number", errors.GetProperty("title")[0].GetString());
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverTheLimitIs413BeforeItIsRead()
    {
        var client = app.CreateAdminClient();
        var node = SampleComparisons.Node();
        node["summary"] = new string('x', 5 * 1024 * 1024);

        var response = await client.PutAsync("/api/comparisons/huge", SampleComparisons.Content(node));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData(NewsletterApp.AdminKey + " ")]
    public async Task AdminRoutesNeedTheKey(string? key)
    {
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/comparisons")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsync("/api/comparisons/x", SampleComparisons.Content(SampleComparisons.Node()))).StatusCode);
    }
}

public sealed class AdminApiWithoutKeyTests : IDisposable
{
    private readonly NewsletterApp _app = new(new Dictionary<string, string?> { ["Newsletter:AdminApiKey"] = "" });

    [Fact]
    public async Task AdminApiAnswers503WhenNoKeyIsConfigured()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "");

        var response = await client.GetAsync("/api/comparisons");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Newsletter:AdminApiKey", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class ComparisonsApiOnPostgresTests(ComparisonsApiOnPostgresTests.PostgresApp app)
    : ComparisonsApiTests(app), IClassFixture<ComparisonsApiOnPostgresTests.PostgresApp>
{
    public sealed class PostgresApp() : App(DatabaseProvider.Postgres);
}
