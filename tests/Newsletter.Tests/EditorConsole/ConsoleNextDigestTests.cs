using Microsoft.Playwright;
using Newsletter.Data;
using Newsletter.Tests.Digests;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// The console's first page (/admin) in a real browser: sign in once, see what the next digest
/// carries and its preview, send a preview to the editors; its forms pass the same-origin check.
/// These run on SQLite (<see cref="ConsoleNextDigestTests"/>) and PostgreSQL
/// (<see cref="ConsoleNextDigestOnPostgresTests"/>). The base is abstract and names no class fixture,
/// so each concrete class starts only its own app and browser (xunit makes a fixture for every
/// IClassFixture a class implements, inherited ones included).
/// </summary>
public abstract class ConsoleNextDigestTestsBase(ConsoleNextDigestTestsBase.Fixture fixture)
{
    public class Fixture : IAsyncLifetime
    {
        public Fixture()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected Fixture(DatabaseProvider provider)
        {
            App = new(new Dictionary<string, string?> { ["Newsletter:Editors:0"] = "edna@example.com" }, provider);
        }

        public Browser Browser { get; } = new();

        public DigestTestApp App { get; }

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            BaseUrl = App.StartKestrel();
            var now = DigestTestApp.Start;
            await App.PutAsync(SampleComparisons.Slug, now - TimeSpan.FromDays(3), "Mistral 4B Edge vs Modal GPU Serverless Inference");
            var second = SampleComparisons.With("claude-vs-gpt", now - TimeSpan.FromDays(2), "Claude Code vs Cursor Agent");
            second["tools"]![0]!["panelShipPercent"] = 75;
            second["tools"]![0]!["communityShipPercent"] = 62;
            second["tools"]![1]!["panelShipPercent"] = 25;
            second["reviews"]![1]!["verdict"] = "skip";
            second["reviews"]![3]!["verdict"] = "skip";
            second["reviews"]![5]!["verdict"] = "skip";
            using var client = App.CreateAdminClient();
            (await client.PutAsync("/api/comparisons/claude-vs-gpt", SampleComparisons.Content(second))).EnsureSuccessStatusCode();
            await Browser.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            App.Dispose();
        }
    }

    protected Fixture Context => fixture;

    protected async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900)
    {
        var page = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl, width, height);
        await page.WaitForSelectorAsync("section.next");
        return page;
    }

    [Fact]
    public async Task SignInSetsAStrictHttpOnlyCookieAndShowsTheNextDigestAndItsPreview()
    {
        var page = await SignedInPageAsync();

        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.Equal("newsletter_admin", cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(NewsletterApp.AdminKey, cookie.Value, StringComparison.Ordinal);

        Assert.Contains("AI Tool Verdicts #1: Mistral 4B Edge vs Modal GPU Serverless Inference + 1 more", await page.InnerTextAsync(".next-subject"), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator(".next-comparisons li").CountAsync());
        Assert.Equal("edna@example.com", await page.InputValueAsync("#to"));

        // The iframe loads the preview with the cookie alone (a browser sends no X-Api-Key).
        var frame = page.FrameLocator("iframe.preview");
        await frame.Locator("a.title").First.WaitForAsync();
        Assert.Equal("Hi Editor,", await frame.Locator(".greeting").InnerTextAsync());
        if (fixture.App.Provider == DatabaseProvider.Sqlite)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "console-next-preview.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task SendMeAPreviewSendsItAndSaysSo()
    {
        var page = await SignedInPageAsync();
        await page.FillAsync("#to", "me@example.com, you@example.com");

        // The browser's own form post carries Sec-Fetch-Site: same-origin, so the cookie's change passes.
        var posted = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("form.send-preview button"), r => r.Url.EndsWith("/admin/next/preview", StringComparison.Ordinal));
        Assert.True(posted.Status == 302, $"POST /admin/next/preview answered {posted.Status}: {(posted.Status == 302 ? "" : await posted.TextAsync())}");
        Assert.Equal("same-origin", await posted.Request.HeaderValueAsync("sec-fetch-site"));
        await page.WaitForSelectorAsync(".message");

        Assert.Equal("Preview sent to me@example.com, you@example.com.", await page.InnerTextAsync(".message"));
        var mails = Directory.GetFiles(fixture.App.Outbox, "*.eml").Select(f => MimeKit.MimeMessage.Load(f)).ToList();
        Assert.Contains(mails, m => m.To.Mailboxes.Single().Address == "you@example.com" && m.Subject!.StartsWith("[Preview] ", StringComparison.Ordinal));
    }
}

/// <summary>The console's first page on SQLite, and what needs no database twin: a wrong key, the preview's screenshots (layout).</summary>
public sealed class ConsoleNextDigestTests(ConsoleNextDigestTestsBase.Fixture fixture)
    : ConsoleNextDigestTestsBase(fixture), IClassFixture<ConsoleNextDigestTestsBase.Fixture>
{
    /// <summary>The key is checked before any data is read: one database is enough.</summary>
    [Fact]
    public async Task WrongKeyIsRefused()
    {
        var page = await Context.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(Context.BaseUrl, "/admin").ToString());
        await page.FillAsync("#key", "not-the-key");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Url.EndsWith(Newsletter.Web.Editors.SignInPath, StringComparison.Ordinal));
        await page.WaitForSelectorAsync(".error");

        Assert.Equal(401, response.Status);
        Assert.Contains("not the admin key", await page.InnerTextAsync(".error"), StringComparison.Ordinal);
        Assert.Empty(await page.Context.CookiesAsync());
    }

    [Theory]
    [InlineData("desktop", 1280, ColorScheme.Light)]
    [InlineData("phone", 375, ColorScheme.Light)]
    [InlineData("phone-dark", 375, ColorScheme.Dark)]
    public async Task PreviewScreenshots(string name, int width, ColorScheme scheme)
    {
        var page = await SignedInPageAsync(width, 900);
        await page.EmulateMediaAsync(new() { ColorScheme = scheme });
        await page.GotoAsync(new Uri(Context.BaseUrl, "/api/digests/next/preview").ToString());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, $"preview-{name}.png"), FullPage = true });

        // Fluid on a phone: nothing wider than the screen.
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"page is {scrollWidth}px wide on a {width}px screen");
        Assert.Equal(2, await page.Locator("a.full-verdict").CountAsync());
    }
}

/// <summary>The same console page on PostgreSQL: the next digest, its preview and a preview sent, read from there.</summary>
public sealed class ConsoleNextDigestOnPostgresTests(ConsoleNextDigestOnPostgresTests.PostgresFixture fixture)
    : ConsoleNextDigestTestsBase(fixture), IClassFixture<ConsoleNextDigestOnPostgresTests.PostgresFixture>
{
    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);
}
