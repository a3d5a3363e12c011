using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;
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
public class UnwritableDatabaseTests
{
    /// <summary>The database the app of this class runs on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task ReadersGetA503PageHealthSaysUnhealthyAndNothingElseBreaks()
    {
        using var app = new ReadOnlyDatabaseApp(Provider);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        app.SetReadOnly(true);
        try
        {
            var signup = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "readonly@example.com")]));
            var admin = app.CreateAdminClient();
            var health = await admin.GetAsync("/health");
            var put = await admin.PutAsync("/api/comparisons/" + SampleComparisons.Slug, SampleComparisons.Content(SampleComparisons.Node()));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, signup.StatusCode);
            Assert.Equal("text/html", signup.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Nothing was saved", await signup.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var database = await DatabaseCheckAsync(health);
            Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
            Assert.Contains("cannot be written", database.GetProperty("description").GetString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
            Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            app.SetReadOnly(false);
        }

        // Writable again: the refused reader was not half-saved, and the same signup now goes through.
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscribers.CountAsync(s => s.Email == "readonly@example.com")));
        var again = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "readonly@example.com")]));
        Assert.True(again.IsSuccessStatusCode, $"signup after the database came back: {(int)again.StatusCode}");
        Assert.Equal(1, await app.WithDbAsync(db => db.Subscribers.CountAsync(s => s.Email == "readonly@example.com")));
    }

    /// <summary>The "database" entry of a /health answer.</summary>
    protected static async Task<JsonElement> DatabaseCheckAsync(HttpResponseMessage health) =>
        JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("database");
}

public sealed class UnwritableDatabaseOnPostgresTests : UnwritableDatabaseTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>The other way PostgreSQL refuses writes: the app's role has lost them (42501).</summary>
    [Fact]
    public Task ARoleThatMayNotWriteGetsThe503PageAndHealthSaysSo() =>
        OnOwnDatabaseAsync(PostgresServer.Shared.CreateDatabaseWithOwnRole(), async (connectionString, client) =>
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

            PostgresServer.Shared.RevokeWrites(connectionString);
            var signup = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "revoked@example.com")]));
            var health = await client.GetAsync("/health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, signup.StatusCode);
            Assert.Contains("Nothing was saved", await signup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("may not write", (await DatabaseCheckAsync(health)).GetProperty("description").GetString(), StringComparison.Ordinal);
        });

    /// <summary>The database goes away under a running app: /health says unreachable, readers get the 503 page.</summary>
    [Fact]
    public Task ADatabaseThatGoesAwayIsUnreachableInHealth() =>
        OnOwnDatabaseAsync(PostgresServer.Shared.CreateDatabase(), async (connectionString, client) =>
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

            // Dropped with its connections cut: every new connection is now refused.
            PostgresServer.Shared.DropDatabase(connectionString);
            var signup = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "gone@example.com")]));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, signup.StatusCode);
            Assert.Contains("Nothing was saved", await signup.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // /health keeps its last report for a moment: the next one says the database is unreachable.
            JsonElement database = default;
            await Delivery.DeliveryTestData.WaitUntilAsync(async () =>
            {
                var health = await client.GetAsync("/health");
                database = await DatabaseCheckAsync(health);
                return health.StatusCode == HttpStatusCode.ServiceUnavailable;
            });
            Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
            Assert.Equal("unreachable", database.GetProperty("description").GetString());
        });

    /// <summary>An app of its own on <paramref name="connectionString"/>'s database, dropped afterwards.</summary>
    private async Task OnOwnDatabaseAsync(string connectionString, Func<string, HttpClient, Task> test)
    {
        try
        {
            using var app = new NewsletterApp(new Dictionary<string, string?> { ["ConnectionStrings:Newsletter"] = connectionString }, Provider);
            await test(connectionString, app.CreateAdminClient());
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(connectionString);
        }
    }
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

/// <summary>
/// On PostgreSQL there is no file: a server that cannot be reached or a database that does not exist
/// stops the start with one line that names the setting and the problem, and never the password.
/// </summary>
public sealed class PostgresDatabaseStartTests : IDisposable
{
    private const string Password = "pw-3c9e1f7a5b";

    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-pgstart-").FullName;

    [Fact]
    public async Task AnUnreachableServerStopsTheStartNamingTheSettingNotThePassword()
    {
        var closedPort = ClosedPort();
        var result = await RunAsync($"Host=127.0.0.1;Port={closedPort};Username=newsletter;Password={Password};Database=newsletter");

        var line = AssertOneLineNamingTheSetting(result);
        Assert.Contains($"127.0.0.1:{closedPort}", line, StringComparison.Ordinal);
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AMissingDatabaseStopsTheStartNamingTheSettingNotThePassword()
    {
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer.Shared.ConnectionString("no_such_newsletter")) { Password = Password };

        var line = AssertOneLineNamingTheSetting(await RunAsync(connectionString.ConnectionString));

        Assert.Contains("\"no_such_newsletter\" does not exist", line, StringComparison.Ordinal);
    }

    private static string AssertOneLineNamingTheSetting(CliProcess.Result result)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ConnectionStrings:Newsletter", line, StringComparison.Ordinal);
        return line;
    }

    private Task<CliProcess.Result> RunAsync(string connectionString)
    {
        var env = CliProcess.IsolatedEnvironment(_folder, DatabaseProvider.Postgres, connectionString);
        env["Urls"] = "http://127.0.0.1:0";
        return CliProcess.RunAsync(["run"], env);
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
