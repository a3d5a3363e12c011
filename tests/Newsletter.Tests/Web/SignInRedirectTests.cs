using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Newsletter.Tests.Fixtures;
using Newsletter.Web;

namespace Newsletter.Tests.Web;

/// <summary>
/// After sign-in the editor goes back to the page asked for, and only to a page of this site: a
/// returnUrl that a browser would read as another host, or that Kestrel cannot put in a Location
/// header, sends the editor to the console's home instead of elsewhere or to a 500.
/// </summary>
public sealed class SignInRedirectTests(SignInRedirectTests.Fixture f) : IClassFixture<SignInRedirectTests.Fixture>
{
    public sealed class Fixture() : NewsletterApp;

    [Theory]
    [InlineData("/\t/127.0.0.1:38947/x")]
    [InlineData("/\n/evil.example/x")]
    [InlineData("/\r")]
    [InlineData("/\u2028/evil.example")]
    [InlineData("/caf\u00e9")]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("https://evil.example/x")]
    [InlineData(" /admin")]
    [InlineData("")]
    public async Task AReturnUrlOffThisSiteGoesToTheConsolesHome(string returnUrl)
    {
        var response = await SignInAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/admin/issues/3")]
    [InlineData("/admin/subscribers?q=a%40example.com&page=2")]
    [InlineData("/")]
    public async Task APathOfThisSiteIsWhereTheEditorLands(string returnUrl)
    {
        var response = await SignInAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(returnUrl, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("%2F%09%2F127.0.0.1:38947%2Fx")]
    [InlineData("%2F%0A")]
    [InlineData("%2F%0D")]
    [InlineData("%2Fa%00b")]
    [InlineData("%2F%E2%80%A8")]
    public async Task TheSignInPageCarriesOnlyALocalReturnUrl(string returnUrl)
    {
        var client = f.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetStringAsync(Editors.SignInPath + "?returnUrl=" + returnUrl);

        Assert.Contains("name=\"returnUrl\" value=\"/admin\"", page, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> SignInAsync(string returnUrl)
    {
        var client = f.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        return client.PostAsync(Editors.SignInPath, new FormUrlEncodedContent([new("key", NewsletterApp.AdminKey), new("returnUrl", returnUrl)]));
    }
}
