using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using Newsletter.Tests.Fixtures;
using Newsletter.Tests.Subscribers;

namespace Newsletter.Tests.Web;

/// <summary>
/// Requests the server cannot or will not read get a clear 4xx: an HTML page with the form for the
/// form, problem details for the API; never a 500.
/// </summary>
public sealed class RequestFailureTests(SignupFixture f) : IClassFixture<SignupFixture>
{
    private static async Task AssertFormPageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var page = await SignupFixture.PageAsync(response, expected);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(new HtmlParser().ParseDocument(page).QuerySelector("form[action='/subscribe'] #email"));
    }

    private Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/x-www-form-urlencoded")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return f.Client.PostAsync("/subscribe", content);
    }

    [Fact]
    public async Task ANulInANameIs400WithTheForm() =>
        await AssertFormPageAsync(await PostAsync("email=nul%40example.com&name=A%00B"), HttpStatusCode.BadRequest);

    [Fact]
    public async Task MoreThan1024FieldsIs400WithTheForm() =>
        await AssertFormPageAsync(
            await PostAsync(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")) + "&email=many%40example.com"),
            HttpStatusCode.BadRequest);

    [Fact]
    public async Task AKeyOf2048CharactersIs400WithTheForm() =>
        await AssertFormPageAsync(await PostAsync(new string('k', 2100) + "=1&email=key%40example.com"), HttpStatusCode.BadRequest);

    [Fact]
    public async Task ATruncatedMultipartBodyIs400WithTheForm() =>
        await AssertFormPageAsync(
            await PostAsync("--XX\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\ncut%40example.com\r\n--XX\r\nContent-Disp", "multipart/form-data; boundary=XX"),
            HttpStatusCode.BadRequest);

    [Fact]
    public async Task HeadOfTheSignupPageIs200WithoutABody()
    {
        var response = await f.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ABodyOver30MegabytesToTheAdminApiIs413WithProblemDetails()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscribers/import")
        {
            Content = new ByteArrayContent(new byte[31 * 1024 * 1024]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Headers.Add("X-Api-Key", NewsletterApp.AdminKey);
        request.Headers.ExpectContinue = true;

        // The client waits for "100 Continue" (which a refused body never gets) instead of sending 31 MB.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = f.Address };
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }
}

/// <summary>A database that cannot be written: readers get a page that says so, and /health tells the operator.</summary>
public sealed class UnwritableDatabaseTests : IDisposable
{
    private readonly ReadOnlyDatabaseApp _app = new();

    [Fact]
    public async Task ReadersGetA503PageHealthSaysUnhealthyAndNothingElseBreaks()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        _app.Switch.On = true;
        try
        {
            var signup = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "readonly@example.com")]));
            var health = await client.GetAsync("/health");
            var admin = _app.CreateAdminClient();
            var put = await admin.PutAsync("/api/comparisons/" + SampleComparisons.Slug, SampleComparisons.Content(SampleComparisons.Node()));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, signup.StatusCode);
            Assert.Equal("text/html", signup.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Nothing was saved", await signup.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var database = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("database");
            Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
            Assert.Contains("cannot be written", database.GetProperty("description").GetString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
            Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            _app.Switch.On = false;
        }
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>The start-up error for a database file that cannot be written names the file.</summary>
public sealed class ReadOnlyDatabaseStartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-readonly-").FullName;

    [Fact]
    public async Task TheStartUpErrorNamesTheFile()
    {
        var env = CliProcess.IsolatedEnvironment(_folder);
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], env)).ExitCode);
        var file = Path.Combine(_folder, "newsletter.db");
        env["ConnectionStrings__Newsletter"] = $"Data Source={file};Mode=ReadOnly";
        env["Urls"] = "http://127.0.0.1:0";

        var result = await CliProcess.RunAsync(["run"], env);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains("readonly", line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
