using Microsoft.Playwright;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorConsole;

/// <summary>Signing in to the console and keeping screenshots, shared by the console's browser tests.</summary>
public static class ConsoleBrowser
{
    public const int DesktopWidth = 1280;
    public const int PhoneWidth = 390;

    /// <summary>
    /// A page signed in through the sign-in page that the console shows a stranger (401), which
    /// returns to the page that was asked for.
    /// </summary>
    public static async Task<IPage> SignedInAsync(Browser browser, Uri baseUrl, int width = DesktopWidth, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await browser.NewPageAsync(width, height);
        await page.EmulateMediaAsync(new() { ColorScheme = scheme });
        var response = await page.GotoAsync(new Uri(baseUrl, "/admin").ToString());
        Assert.Equal(401, response!.Status);
        Assert.Equal("/admin", await page.InputValueAsync("input[name=returnUrl]"));
        await page.FillAsync("#key", NewsletterApp.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("nav.console-nav");
        Assert.EndsWith("/admin", page.Url, StringComparison.Ordinal);
        return page;
    }

    /// <summary>
    /// Keeps a screenshot (<paramref name="keep"/> false: the PostgreSQL twin of a class, whose pages
    /// look the same, checks the width only and leaves the SQLite run's files alone).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool keep = true)
    {
        if (keep)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, $"console-{name}.png"), FullPage = true });
        }

        // Readable on a phone: nothing wider than the screen (tables scroll inside their card).
        var width = page.ViewportSize!.Width;
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"{name}: the page is {scrollWidth}px wide on a {width}px screen");
    }

    public static async Task<int> NumberAsync(ILocator locator) =>
        int.Parse((await locator.InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
