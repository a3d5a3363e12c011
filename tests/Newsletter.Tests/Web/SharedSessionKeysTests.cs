using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using Newsletter.Web;

namespace Newsletter.Tests.Web;

/// <summary>
/// Two instances behind a load balancer: the keys that encrypt editors' cookies live in the shared
/// database, so a session opened on one instance works on the other.
/// </summary>
public class SharedSessionKeysTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task ACookieMadeByOneInstanceOpensOnAnotherOnTheSameDatabase()
    {
        using var first = new NewsletterApp(provider: Provider);
        var cookie = await SignInAsync(first);
        using var second = new NewsletterApp(new Dictionary<string, string?> { ["ConnectionStrings:Newsletter"] = first.ConnectionString }, Provider);

        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(second, cookie, "/api/comparisons")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync(second, cookie + "x", "/api/comparisons")).StatusCode);

        // The key ring is in the database, not in a folder of this machine.
        var keys = await first.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("<key ", k.Xml, StringComparison.Ordinal));
    }

    private static async Task<string> SignInAsync(NewsletterApp app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var response = await client.PostAsync(Editors.SignInPath, new FormUrlEncodedContent([new("key", NewsletterApp.AdminKey), new("returnUrl", "/admin")]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Editors.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(NewsletterApp app, string cookie, string path)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }
}

public sealed class SharedSessionKeysOnPostgresTests : SharedSessionKeysTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
