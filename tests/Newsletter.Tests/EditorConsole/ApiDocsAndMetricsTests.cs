using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// /metrics needs the admin key and its queue depth is read from the database; pause and resume
/// answer for issues that are not there. On SQLite (<see cref="ApiDocsAndMetricsTests"/>, which adds
/// the API description's tests) and PostgreSQL (<see cref="ApiDocsAndMetricsOnPostgresTests"/>).
/// </summary>
public abstract class ApiDocsAndMetricsTestsBase(ApiDocsAndMetricsTestsBase.Fixture fixture)
{
    public class Fixture : IDisposable
    {
        public Fixture()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected Fixture(DatabaseProvider provider) => App = new(provider: provider);

        public NewsletterApp App { get; }

        public void Dispose() => App.Dispose();
    }

    protected NewsletterApp App => fixture.App;

    [Fact]
    public async Task MetricsNeedTheAdminKeyAsBearerOrHeader()
    {
        using var client = fixture.App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-admin-key-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NewsletterApp.AdminKey);
        var response = await client.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();

        // The queue depth is there, and what it reads from this app's database is right (nothing is queued).
        Assert.NotEmpty(MetricsText.Samples(text, "newsletter_queue_depth"));
        Assert.Equal(0, fixture.App.Services.GetRequiredService<Newsletter.Telemetry.IQueueDepth>().Current);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);

        using var header = fixture.App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task TheQueueDepthStaysWhenAnotherAppInTheProcessStops()
    {
        // Tests run many apps in one process, each with its own gauge of the same name: one app
        // stopping must not take the others' gauges (or their values) with it.
        using var scraper = fixture.App.CreateAdminClient();
        var scrape = await scraper.GetStringAsync("/metrics");
        Assert.NotEmpty(MetricsText.Samples(scrape, "newsletter_queue_depth"));
        using (var other = new NewsletterApp(provider: fixture.App.Provider))
        {
            using var otherScraper = other.CreateAdminClient();
            Assert.NotEmpty(MetricsText.Samples(await otherScraper.GetStringAsync("/metrics"), "newsletter_queue_depth"));
        }

        // Two new collections (the exporter answers from a cached scrape for a moment; a changed text,
        // if only the scrapes' own request counts, is a new one): a stream whose instrument went away
        // is exported once more, then dropped. Before the fix the second was empty.
        for (var collection = 0; collection < 2; collection++)
        {
            var previous = scrape;
            await Delivery.DeliveryTestData.WaitUntilAsync(async () => (scrape = await scraper.GetStringAsync("/metrics")) != previous);
            Assert.Equal([0], MetricsText.Samples(scrape, "newsletter_queue_depth"));
        }
    }

    [Fact]
    public async Task PauseAndResumeAnswerForIssuesThatAreNotThere()
    {
        using var api = fixture.App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/digests/99/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/digests/99/resume", null)).StatusCode);
        using var stranger = fixture.App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("/api/digests/1/pause", null)).StatusCode);
    }
}

/// <summary>
/// GET /openapi/v1.json describes every /api route the app maps (read from the app's own endpoint
/// list, so a new route without a description fails here); the interactive reference is in the
/// console and loads nothing from elsewhere. These read the app's routes and documents, no data:
/// SQLite only, no PostgreSQL twin.
/// </summary>
public sealed class ApiDocsAndMetricsTests(ApiDocsAndMetricsTestsBase.Fixture fixture)
    : ApiDocsAndMetricsTestsBase(fixture), IClassFixture<ApiDocsAndMetricsTestsBase.Fixture>
{
    private async Task<JsonObject> DocumentAsync()
    {
        using var client = App.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Every (method, path) the app routes under /api, with route constraints dropped as OpenAPI writes paths.</summary>
    private List<(string Method, string Path)> MappedApiRoutes()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return [.. endpoints
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => (m.ToLowerInvariant(), "/" + string.Join("/", e.RoutePattern.PathSegments.Select(Segment)).TrimEnd('/'))))
            .Distinct()];

        static string Segment(Microsoft.AspNetCore.Routing.Patterns.RoutePatternPathSegment s) => string.Concat(s.Parts.Select(p => p switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p2 => "{" + p2.Name + "}",
            _ => "",
        }));
    }

    [Fact]
    public async Task TheDocumentNamesEveryApiRouteTheAppMaps()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();
        var routes = MappedApiRoutes();
        Assert.True(routes.Count >= 14, $"only {routes.Count} /api routes found");
        Assert.Contains(("post", "/api/digests/{number}/pause"), routes);

        var missing = routes.Where(r => paths[r.Path]?[r.Method] is null).ToList();
        Assert.True(missing.Count == 0, "undocumented: " + string.Join(", ", missing.Select(m => $"{m.Method.ToUpperInvariant()} {m.Path}")));

        // Nothing but the admin API is described, and nothing described is unmapped.
        var described = paths.SelectMany(p => p.Value!.AsObject().Select(o => (o.Key, p.Key))).ToList();
        Assert.All(described, d => Assert.Contains(d, routes));
    }

    /// <summary>Routes under /api that anyone may call, each with why.</summary>
    private static readonly Dictionary<string, string> PublicRoutes = new()
    {
        ["GET /api/comparisons/{slug}/votes"] = "the comparison site shows the readers' votes on its pages",
        ["HEAD /api/comparisons/{slug}/votes"] = "the same, asked by a cache or a link checker before it reads",
    };

    [Fact]
    public async Task EveryOperationDescribesItsRefusalsAsProblemDetailsAndTheBodiesItReads()
    {
        var document = await DocumentAsync();
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Route: $"{o.Key.ToUpperInvariant()} {p.Key}", Operation: o.Value!))).ToList();
        foreach (var (route, operation) in operations)
        {
            var isPublic = PublicRoutes.ContainsKey(route);
            var schemes = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
            Assert.True(isPublic ? schemes.Count == 0 : schemes.Order().SequenceEqual(["AdminKey", "Bearer"]),
                $"{route} names the schemes [{string.Join(", ", schemes)}]");
            foreach (var status in isPublic ? ["default"] : new[] { "401", "429", "503", "default" })
            {
                Assert.True(operation["responses"]?[status]?["content"]?["application/problem+json"] is not null, $"{route} has no problem details for {status}");
            }
        }

        // The public routes are public in fact, and documented like the rest.
        Assert.All(PublicRoutes.Keys, r => Assert.Contains(operations, o => o.Route == r));
        using var stranger = App.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/comparisons/no-such-comparison/votes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("/api/bounces", null)).StatusCode);
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);

        Assert.NotNull(document["paths"]!["/api/comparisons/{slug}"]!["put"]!["requestBody"]!["content"]!["application/json"]);
        Assert.NotNull(document["paths"]!["/api/subscribers/import"]!["post"]!["requestBody"]!["content"]!["text/csv"]);
        Assert.NotNull(document["paths"]!["/api/digests/preview"]!["post"]!["requestBody"]);
        Assert.Equal("X-Api-Key", (string?)document["components"]!["securitySchemes"]!["AdminKey"]!["name"]);
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]);
    }

    [Fact]
    public async Task TheInteractiveReferenceIsInTheConsoleAndServedFromTheApp()
    {
        using var stranger = App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/admin/api/reference")).StatusCode);

        using var editor = App.CreateAdminClient();
        var response = await editor.GetAsync("/admin/api/reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"openapi/v1.json\"", html, StringComparison.Ordinal);
        var document = await editor.GetAsync("/admin/api/reference/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("/api/digests/{number}/pause", await document.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/admin/api/reference/openapi/v1.json")).StatusCode);

        // Offline: every script the page loads comes from this app, and it is there.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            Assert.False(src.StartsWith("http", StringComparison.OrdinalIgnoreCase) || src.StartsWith("//", StringComparison.Ordinal), $"loads {src} from elsewhere");
            var script = await editor.GetAsync(new Uri(new Uri("http://localhost/admin/api/reference/"), src).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.NotEmpty(await script.Content.ReadAsByteArrayAsync());
        }

        Assert.Contains("scalar.js", scripts);
        Assert.True((await editor.GetByteArrayAsync("/admin/api/reference/scalar.js")).Length > 100_000, "scalar.js is not the Scalar bundle");
    }
}

/// <summary>The metrics and the pause routes on PostgreSQL.</summary>
public sealed class ApiDocsAndMetricsOnPostgresTests(ApiDocsAndMetricsOnPostgresTests.PostgresFixture fixture)
    : ApiDocsAndMetricsTestsBase(fixture), IClassFixture<ApiDocsAndMetricsOnPostgresTests.PostgresFixture>
{
    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);
}
