using Microsoft.Playwright;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// A reader in Chromium: the form, the mail at the real SMTP server, the link. The signup and its
/// confirmation are stored, so they run on both providers; the base names no class fixture, so each
/// concrete class starts only its own app and browser.
/// </summary>
public abstract class SignupBrowserTestsBase(SignupFixture f, Browser browser)
{
    /// <summary>Screenshots are SQLite's: the PostgreSQL pages look the same and would overwrite them.</summary>
    protected abstract bool TakesScreenshots { get; }

    protected SignupFixture Signup => f;

    protected Browser Chromium => browser;

    protected async Task ScreenshotAsync(IPage page, string name)
    {
        if (TakesScreenshots)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotFolder, name), FullPage = true });
        }
    }

    [Fact]
    public async Task ReaderSignsUpInTheBrowserAndConfirmsFromTheMail()
    {
        var page = await browser.NewPageAsync(1280, 900);
        await page.GotoAsync(f.Address.ToString());
        await ScreenshotAsync(page, "signup-desktop.png");

        // Keyboard first: Tab reaches the address field, and the focus is visible.
        for (var i = 0; i < 5 && await page.EvaluateAsync<string>("document.activeElement.id") != "email"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("email", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));

        var email = SignupFixture.NewAddress("browser");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Name").FillAsync("Grace <Hopper>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "check-inbox-desktop.png");
        var mail = await f.MailToAsync(email);
        Assert.Contains("Hi Grace <Hopper>,", mail.Text, StringComparison.Ordinal);

        // The link shows one button and confirms nothing by itself (a link scanner opens it too).
        await page.GotoAsync(new Uri(f.Address, SignupFixture.ConfirmPath(mail)).ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your subscription" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "confirm-desktop.png");
        Assert.Equal(SubscriberStatus.Pending, (await f.SubscriberAsync(email)).Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my subscription" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You're subscribed" })).ToBeVisibleAsync();
        var subscriber = await f.SubscriberAsync(email);
        Assert.Equal(SubscriberStatus.Confirmed, subscriber.Status);
        Assert.Contains("Chrome/", subscriber.ConfirmedUserAgent, StringComparison.Ordinal);
    }
}

/// <summary>On SQLite, with the layout checks (which store nothing).</summary>
public sealed class SignupBrowserTests(SignupFixture f, Browser browser)
    : SignupBrowserTestsBase(f, browser), IClassFixture<SignupFixture>, IClassFixture<Browser>
{
    protected override bool TakesScreenshots => true;

    [Fact]
    public async Task SignupPageFitsAPhoneWithReadableText()
    {
        var page = await Chromium.NewPageAsync(375, 812);
        await page.GotoAsync(Signup.Address.ToString());
        await ScreenshotAsync(page, "signup-phone.png");

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        Assert.True(await page.EvaluateAsync<double>("parseFloat(getComputedStyle(document.querySelector('#email')).fontSize)") >= 16, "inputs under 16px make phones zoom");
        Assert.True(await page.EvaluateAsync<double>("parseFloat(getComputedStyle(document.body).fontSize)") >= 16);
        var button = await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).BoundingBoxAsync();
        Assert.True(button!.Height >= 44, "the button is a comfortable tap target");
    }

    [Fact]
    public async Task InvalidAddressShowsTheReasonNextToTheFormInTheBrowser()
    {
        var page = await Chromium.NewPageAsync(375, 812);
        await page.GotoAsync(Signup.Address.ToString());

        // type=email lets "reader@localhost" through; the server's check does not.
        await page.GetByLabel("Email address").FillAsync("reader@localhost");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("needs a dot");
        await ScreenshotAsync(page, "signup-error-phone.png");
        Assert.Equal("email", await page.EvaluateAsync<string>("document.activeElement.id"));
    }
}

public sealed class SignupBrowserOnPostgresTests(PostgresSignupFixture f, Browser browser)
    : SignupBrowserTestsBase(f, browser), IClassFixture<PostgresSignupFixture>, IClassFixture<Browser>
{
    protected override bool TakesScreenshots => false;
}
