using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Tests.Digests;
using Newsletter.Tests.Fixtures;
using Newsletter.Web;

namespace Newsletter.Tests.Web;

/// <summary>
/// Who is an editor: the admin key (header or bearer), the session cookie, and their refusals.
/// The cookie's keys live in the database (DataProtectionKeys), so the session's tests run on both
/// providers; the key's answers and the cross-origin refusals come before any SQL and run on SQLite
/// only (<see cref="AdminAuthTests"/>).
/// </summary>
public abstract class AdminAuthTestsBase : IDisposable
{
    private DigestTestApp? _app;

    /// <summary>The database the app of this class runs on.</summary>
    protected abstract DatabaseProvider Provider { get; }

    protected DigestTestApp App => _app ??= new DigestTestApp(provider: Provider);

    [Fact]
    public async Task SessionCookieWorksUntilItsLifetimeEnds()
    {
        var cookie = await SignInAsync();
        Assert.DoesNotContain(NewsletterApp.AdminKey, cookie, StringComparison.Ordinal);

        App.Clock.Advance(Editors.SessionLifetime - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(cookie, HttpMethod.Get, "/api/comparisons")).StatusCode);

        App.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(cookie, HttpMethod.Get, "/api/comparisons")).StatusCode);
    }

    [Fact]
    public async Task SignOutEndsTheSessionOnTheServerSoACopiedCookieStopsWorking()
    {
        var cookie = await SignInAsync();
        var other = await SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(cookie, HttpMethod.Get, "/api/comparisons")).StatusCode);

        var signOut = await WithCookie(cookie, HttpMethod.Post, Editors.SignOutPath, origin: "http://localhost");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // The copy (the browser deleted its cookie; whoever copied it did not).
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(cookie, HttpMethod.Get, "/api/comparisons")).StatusCode);
        var page = await WithCookie(cookie, HttpMethod.Get, "/admin");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("name=\"key\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another browser's session goes on.
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(other, HttpMethod.Get, "/api/comparisons")).StatusCode);
    }

    [Fact]
    public async Task ANewKeySignsEveryEditorOut()
    {
        var cookie = await SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(cookie, HttpMethod.Get, "/api/comparisons")).StatusCode);

        var config = (IConfigurationRoot)App.Services.GetRequiredService<IConfiguration>();
        config["Newsletter:AdminApiKey"] = "another-key-of-sixteen-chars";
        config.Reload();

        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(cookie, HttpMethod.Get, "/api/comparisons")).StatusCode);
    }

    [Fact]
    public async Task ASameOriginChangeWithTheCookieAndAForeignOneWithTheKeyPass()
    {
        var cookie = await SignInAsync();

        var own = await WithCookie(cookie, HttpMethod.Post, "/admin/next/preview", origin: "http://localhost",
            content: new FormUrlEncodedContent([new("to", "me@example.com")]));
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);

        var script = App.CreateAdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/subscribers/nobody@example.com");
        request.Headers.Add("Origin", "https://elsewhere.example");
        Assert.NotEqual(HttpStatusCode.Forbidden, (await script.SendAsync(request)).StatusCode);
    }

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task<string> SignInAsync()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var response = await client.PostAsync(Editors.SignInPath, new FormUrlEncodedContent([new("key", NewsletterApp.AdminKey), new("returnUrl", "/admin")]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.ToString());
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Editors.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        return setCookie.Split(';')[0];
    }

    protected async Task<HttpResponseMessage> WithCookie(string cookie, HttpMethod method, string path, string? origin = null, HttpContent? content = null, string? fetchSite = null)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", cookie);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>The session on SQLite, and the key's answers and the refusals that come before any SQL.</summary>
public sealed class AdminAuthTests : AdminAuthTestsBase
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task StrangerIsRefusedBeforeTheBodyIsRead()
    {
        var client = App.CreateClient();

        var response = await client.PostAsync("/api/digests/preview", SampleComparisons.Content("{ this is not json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(Editors.HeaderName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKeysAreSlowedDownButTheRightKeyAlwaysPasses()
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "guess");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < Editors.WrongKeysPerMinute + 2; i++)
        {
            answers.Add((await client.GetAsync("/api/comparisons")).StatusCode);
        }

        Assert.All(answers.Take(Editors.WrongKeysPerMinute), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        // The editor who mistyped (or shares the proxy's address with a guesser) is not locked out.
        Assert.Equal(HttpStatusCode.OK, (await App.CreateAdminClient().GetAsync("/api/comparisons")).StatusCode);
    }

    [Fact]
    public async Task RequestsWithoutAKeyLockNobodyOut()
    {
        var stray = App.CreateClient();
        for (var i = 0; i < Editors.WrongKeysPerMinute * 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stray.GetAsync("/api/comparisons")).StatusCode);
        }

        // Not counted: one typo still gets 401, not 429, and the key works.
        var typo = App.CreateClient();
        typo.DefaultRequestHeaders.Add("X-Api-Key", "typo");
        Assert.Equal(HttpStatusCode.Unauthorized, (await typo.GetAsync("/api/comparisons")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateAdminClient().GetAsync("/api/comparisons")).StatusCode);
    }

    [Fact]
    public async Task TheKeyAlsoWorksAsABearerToken()
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", NewsletterApp.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/comparisons")).StatusCode);

        var wrong = App.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/comparisons")).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/digests/send")]
    [InlineData("DELETE", "/api/subscribers/reader@example.com")]
    [InlineData("POST", "/admin/next/preview")]
    [InlineData("POST", "/admin/send")]
    [InlineData("POST", "/admin/issues/1/pause")]
    [InlineData("POST", "/api/digests/1/pause")]
    public async Task ACrossOriginChangeWithOnlyTheCookieIsRefused(string method, string path)
    {
        var cookie = await SignInAsync();

        // A sibling subdomain is the same site, so SameSite=Strict lets the cookie through; Origin tells.
        var sibling = await WithCookie(cookie, new HttpMethod(method), path, origin: "https://compare.verdicts.example.com");
        var unnamed = await WithCookie(cookie, new HttpMethod(method), path, origin: null);
        var browser = await WithCookie(cookie, new HttpMethod(method), path, origin: "null", fetchSite: "same-site");

        Assert.Equal(HttpStatusCode.Forbidden, sibling.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, browser.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unnamed.StatusCode);
        Assert.Empty(Directory.Exists(App.Outbox) ? Directory.GetFiles(App.Outbox) : []);
        Assert.Equal(0, await App.WithDbAsync(db => Task.FromResult(db.Issues.Count())));
    }
}

/// <summary>The session on PostgreSQL, where the cookie's keys are rows of its own.</summary>
public sealed class AdminAuthOnPostgresTests : AdminAuthTestsBase
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
