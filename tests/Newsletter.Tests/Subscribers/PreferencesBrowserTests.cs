using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Newsletter.Subscribers;
using Newsletter.Subscribers.Preferences;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// A reader in Chromium follows the preference link of a real digest (sent through smtp-sink),
/// picks a topic, goes monthly and changes their name; the page shows what was saved, and a GET
/// of the same link changes nothing.
/// </summary>
public sealed partial class PreferencesBrowserTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task AReaderChoosesATopicAndMonthlyFromTheirDigestsLink()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(SmtpSettings(sink.Port));
        var baseUrl = app.StartKestrel();
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 2);
        await PublishAsync(admin, SampleComparisons.Slug, "Mistral 4B Edge vs Modal GPU Serverless Inference");
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        var mails = await sink.WaitForMessagesAsync(2);
        var mail = mails.Single(m => m.Recipients.Contains(readers[0].Email));

        // The link in the footer, beside the unsubscribe link, taken from the mail as sent.
        var link = PreferencesLink().Match(mail.Html);
        Assert.True(link.Success, "the digest has no preference link");
        var url = new Uri(baseUrl, new Uri(System.Net.WebUtility.HtmlDecode(link.Groups[1].Value)).PathAndQuery).ToString();
        Assert.Contains("/preferences?token=" + readers[0].Token, url, StringComparison.Ordinal);

        var page = await browser.NewPageAsync(1280, 900);
        await page.GotoAsync(url);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your choices" })).ToBeVisibleAsync();
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ReaderPreference>().CountAsync()));

        // The sample's tools are "Developer Tools": listed with how many comparisons carry it.
        var topic = page.GetByLabel(new Regex("Developer Tools \\(1 comparison\\)"));
        Assert.False(await topic.IsCheckedAsync());
        Assert.True(await page.GetByLabel(new Regex("^Weekly")).IsCheckedAsync());
        await topic.CheckAsync();
        await page.GetByLabel(new Regex("^Monthly")).CheckAsync();
        await page.GetByLabel("Name").FillAsync("Ada <Lovelace>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        Assert.True(await page.GetByLabel(new Regex("Developer Tools")).IsCheckedAsync());
        Assert.True(await page.GetByLabel(new Regex("^Monthly")).IsCheckedAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotFolder, "preferences-desktop.png"), FullPage = true });

        var saved = await app.WithDbAsync(db => db.Set<ReaderPreference>().Include(p => p.Topics).SingleAsync());
        Assert.Equal((readers[0].Id, ReadingFrequency.Monthly), (saved.SubscriberId, saved.Frequency));
        Assert.Equal(["developer tools"], saved.Topics.Select(t => t.Topic));
        Assert.Equal("Ada <Lovelace>", await app.WithDbAsync(db => db.Subscribers.Where(s => s.Id == readers[0].Id).Select(s => s.Name).SingleAsync()));

        // Back to every topic (nothing ticked) from a fresh load of the link.
        await page.GotoAsync(url);
        await page.GetByLabel(new Regex("Developer Tools")).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        Assert.Empty(await app.WithDbAsync(db => db.Set<ReaderTopic>().ToListAsync()));
    }

    [GeneratedRegex("<a class=\"preferences\" href=\"([^\"]+)\"")]
    private static partial Regex PreferencesLink();
}
