using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Web;

/// <summary>
/// Every route that can be sent a body gets the same list of unreadable forms from the last probe and
/// answers each with 400 (413 over the size limit): an HTML page, or problem details under /api;
/// never a 500. The routes come from the app's own endpoint list, so a new one is covered.
/// </summary>
public sealed partial class FormBodiesTests(FormBodiesTests.Fixture f) : IClassFixture<FormBodiesTests.Fixture>
{
    public sealed class Fixture : NewsletterApp
    {
        public Fixture() => StartKestrel();
    }

    /// <summary>Each unreadable body: a name, its content type, its bytes (null length: sent chunked), and the answer.</summary>
    private static readonly (string Name, string ContentType, Func<HttpContent> Body, HttpStatusCode Expected)[] Bodies =
    [
        ("NUL in a field", "application/x-www-form-urlencoded", () => Text("choice=ship&key=A%00B&x=A%00B"), HttpStatusCode.BadRequest),
        ("1,100 fields", "application/x-www-form-urlencoded", () => Text(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1"))), HttpStatusCode.BadRequest),
        ("a key of 2,100 characters", "application/x-www-form-urlencoded", () => Text(new string('k', 2100) + "=1"), HttpStatusCode.BadRequest),
        ("multipart cut off mid-field", "multipart/form-data; boundary=XX",
            () => Text("--XX\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\ncut%40example.com\r\n--XX\r\nContent-Disp"), HttpStatusCode.BadRequest),
        ("multipart file cut off", "multipart/form-data; boundary=XX",
            () => Text("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nemail\r\na@example.com\r\n"), HttpStatusCode.BadRequest),
        ("5 MB urlencoded", "application/x-www-form-urlencoded", () => Text("x=" + new string('a', 5 * 1024 * 1024)), HttpStatusCode.RequestEntityTooLarge),
    ];

    public static TheoryData<string, string> Routes()
    {
        using var app = new NewsletterApp();
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in BodyRoutes(app))
        {
            data.Add(method, path);
        }

        return data;
    }

    [Fact]
    public void TheListCoversTheFormRoutesOfTheProbe()
    {
        var routes = BodyRoutes(f).Select(r => r.Method + " " + r.Path).ToList();

        Assert.Contains("POST /subscribe", routes);
        Assert.Contains("POST /vote", routes);
        Assert.Contains("POST /admin/signin", routes);
        Assert.Contains("POST /admin/subscribers/import", routes);
        Assert.Contains("POST /api/subscribers/import", routes);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryUnreadableFormIsRefusedWithA4xxNeverA500(string method, string path)
    {
        var failures = new List<string>();
        foreach (var (name, contentType, body, expected) in Bodies)
        {
            using var client = f.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", NewsletterApp.AdminKey);
            var content = body();
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };

            var response = await client.SendAsync(request);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var expectedType = path.StartsWith("/api/", StringComparison.Ordinal) ? "application/problem+json" : "text/html";
            if (response.StatusCode != expected || mediaType != expectedType)
            {
                failures.Add($"{name}: {(int)response.StatusCode} {mediaType}");
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("/vote?t=x")]
    [InlineData("/admin/signin")]
    public async Task AChunkedFormOverTheLimitIs413(string path)
    {
        // Raw HTTP: the server answers (and closes) while the client is still sending, which HttpClient reports as a broken pipe.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(f.ClientOptions.BaseAddress.Host, f.ClientOptions.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var chunk = Encoding.ASCII.GetBytes($"10000\r\n{new string('a', 0x10000)}\r\n");
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("4\r\nx=aa\r\n"));
            for (var i = 0; i < 80; i++)
            {
                await stream.WriteAsync(chunk);
            }
        }
        catch (IOException)
        {
            // The answer came before the rest of the body: what a limit is for.
        }

        var answer = new byte[64];
        var read = await stream.ReadAsync(answer);
        Assert.StartsWith("HTTP/1.1 413", Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
    }

    /// <summary>Every route that takes a body (POST, PUT, PATCH, DELETE), its parameters filled in.</summary>
    private static List<(string Method, string Path)> BodyRoutes(NewsletterApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                .Select(m => (m, "/" + Parameter().Replace(e.RoutePattern.RawText!.TrimStart('/'), "1"))))
            .Distinct()
            .OrderBy(r => r.Item2, StringComparer.Ordinal)
            .ToList();

    private static ByteArrayContent Text(string body) => new(Encoding.ASCII.GetBytes(body));

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
