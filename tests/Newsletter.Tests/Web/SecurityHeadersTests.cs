using System.Net;
using Microsoft.Playwright;
using Newsletter.Tests.Digests;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Web;

/// <summary>
/// Every page carries the security headers, with the content security policy its kind of page can
/// live with; a page on another origin cannot frame the console (clickjacking sent a real issue).
/// </summary>
public sealed class SecurityHeadersTests(SecurityHeadersTests.Fixture f) : IClassFixture<SecurityHeadersTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public DigestTestApp App { get; } = new();

        public Browser Browser { get; } = new();

        public Uri Address { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Address = App.StartKestrel();
            await Browser.InitializeAsync();
            await App.PutAsync("security-sample", DigestTestApp.Start.AddDays(-1));
            await App.MakeIssueAsync("2026-W48", sent: true);
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            App.Dispose();
        }
    }

    [Theory]
    [InlineData("/", "script-src", "frame-ancestors 'none'")]
    [InlineData("/issues", "script-src", "frame-ancestors 'none'")]
    [InlineData("/health", "script-src", "frame-ancestors 'none'")]
    [InlineData("/no-such-page", "script-src", "frame-ancestors 'none'")]
    [InlineData("/admin/signin", "script-src", "frame-ancestors 'none'")]
    public async Task PublicPagesAllowNoScriptAndNoFrame(string path, string absent, string present)
    {
        var response = await f.App.CreateClient().GetAsync(path);

        var csp = AssertCommonHeaders(response, "DENY");
        Assert.DoesNotContain(absent, csp, StringComparison.Ordinal);
        Assert.Contains(present, csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheArchivedIssueShowsMailHtmlWithInlineStylesAndNoScript()
    {
        var response = await f.App.CreateClient().GetAsync("/issues/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var csp = AssertCommonHeaders(response, "DENY");
        Assert.Contains("style-src 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("img-src * data:", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePreviewMayBeFramedByThisSiteOnly()
    {
        var response = await f.App.CreateAdminClient().GetAsync("/api/digests/next/preview");

        var csp = AssertCommonHeaders(response, "SAMEORIGIN");
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConsoleRunsOnlyItsOwnScriptsByNonce()
    {
        var first = await f.App.CreateAdminClient().GetAsync("/admin/issues");
        var second = await f.App.CreateAdminClient().GetAsync("/admin/issues");
        var html = await first.Content.ReadAsStringAsync();

        var csp = AssertCommonHeaders(first, "DENY");
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "script-src 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain(nonce, second.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiReferenceLoadsFromThisSiteOnlyAndNoFontHost()
    {
        var response = await f.App.CreateAdminClient().GetAsync("/admin/api/reference");
        var html = await response.Content.ReadAsStringAsync();

        var csp = AssertCommonHeaders(response, "DENY");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageOnAnotherOriginCannotFrameTheConsole()
    {
        var page = await SignedInPageAsync();
        var admin = new Uri(f.Address, "/admin").ToString();

        // The decoy is served by the browser itself for another origin (no server needed).
        await page.RouteAsync("http://decoy.localhost/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<!doctype html><title>Win a prize</title><iframe id=f src=\"{admin}\" style=\"opacity:.01\"></iframe>",
        }));
        await page.GotoAsync("http://decoy.localhost/");
        await page.WaitForLoadStateAsync(LoadState.Load);

        var frame = page.Frames.Single(fr => fr != page.MainFrame);
        Assert.Equal(0, await frame.Locator("nav.console-nav, #key, form").CountAsync());

        // The console itself still works in the same browser, with its scripts (the live progress).
        await page.GotoAsync(new Uri(f.Address, "/admin/issues").ToString());
        Assert.Equal(1, await page.Locator("nav.console-nav").CountAsync());
    }

    [Fact]
    public async Task TheConsolesOwnScriptRunsAndNoPolicyIsViolated()
    {
        var page = await SignedInPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(m.Text);
            }
        };

        foreach (var path in new[] { "/admin", "/admin/issues", "/admin/issues/1", "/admin/subscribers", "/admin/comparisons", "/admin/api", "/admin/api/reference", "/", "/issues/1" })
        {
            await page.GotoAsync(new Uri(f.Address, path).ToString());
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        Assert.Empty(violations);
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await f.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(f.Address, "/admin/signin").ToString());
        await page.FillAsync("#key", NewsletterApp.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("nav.console-nav");
        return page;
    }

    private static string AssertCommonHeaders(HttpResponseMessage response, string frameOptions)
    {
        Assert.Equal(frameOptions, response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        return csp;
    }
}
