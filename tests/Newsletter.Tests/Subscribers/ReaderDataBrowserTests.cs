using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Newsletter.Comparisons;
using Newsletter.Subscribers;
using Newsletter.Subscribers.Preferences;
using Newsletter.Tests.Fixtures;
using Newsletter.Votes;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// A reader in Chromium follows the preference link of a real digest (sent through smtp-sink) and asks
/// for their data, then for their erasure. Neither happens from that page: each mails a one-time link
/// to the reader's address; the link's GET (what a link scanner does) changes nothing, its button
/// downloads the reader's own JSON or erases them, and a second use fails.
/// </summary>
public sealed partial class ReaderDataBrowserTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task AReaderDownloadsTheirDataAndErasesThemselvesThroughMailedOneTimeLinks()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(SmtpSettings(sink.Port));
        var baseUrl = app.StartKestrel();
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 2);
        var (reader, other) = (readers[0], readers[1]);
        await PublishAsync(admin, SampleComparisons.Slug, "Mistral 4B Edge vs Modal GPU Serverless Inference");
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        var digest = (await sink.WaitForMessagesAsync(2)).Single(m => m.Recipients.Contains(reader.Email));

        // Each reader voted; the download must hold the reader's vote and not the other's.
        var comparisonId = await app.WithDbAsync(db => db.Comparisons.Select(c => c.Id).SingleAsync());
        await app.WithDbAsync(async db =>
        {
            db.Add(new Vote { ComparisonId = comparisonId, Tool = "Mistral 4B Edge", SubscriberId = reader.Id, Ship = true, VotedAt = DateTimeOffset.UtcNow });
            db.Add(new Vote { ComparisonId = comparisonId, Tool = "Modal GPU Serverless Inference", SubscriberId = other.Id, Ship = false, VotedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var link = PreferencesLink().Match(digest.Html);
        Assert.True(link.Success, "the digest has no preference link");
        var preferences = new Uri(baseUrl, new Uri(WebUtility.HtmlDecode(link.Groups[1].Value)).PathAndQuery).ToString();
        var page = await browser.NewPageAsync(1280, 900);

        // Download: the page's button only mails a link.
        await page.GotoAsync(preferences);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mail me a link to download my data" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        var exportMail = (await sink.WaitForMessagesAsync(3)).Single(m => m.Message.Subject?.StartsWith("Your data at", StringComparison.Ordinal) == true);
        Assert.Equal([reader.Email], exportMail.Recipients);
        var exportUrl = MailedLink(baseUrl, exportMail, "export");
        Assert.Contains(exportUrl[(exportUrl.IndexOf("token=", StringComparison.Ordinal) + 6)..], exportMail.Html, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Set<ReaderDataRequest>().SingleAsync());
        Assert.Equal(SubscriberTokens.Hash(new Uri(exportUrl).Query.Split("token=")[1]), stored.TokenHash);

        // A link scanner's GETs change nothing: the link still works after them.
        using var scanner = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await scanner.GetAsync(exportUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scanner.GetAsync(exportUrl)).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Set<ReaderDataRequest>().Select(r => r.UsedAt).SingleAsync()));

        await page.GotoAsync(exportUrl);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Download your data" })).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Download my data" }).ClickAsync());
        Assert.Equal("my-data.json", download.SuggestedFilename);
        var file = Path.Combine(Path.GetTempPath(), $"my-data-{Guid.NewGuid():N}.json");
        await download.SaveAsAsync(file);
        var text = await File.ReadAllTextAsync(file);
        File.Delete(file);
        using (var json = JsonDocument.Parse(text))
        {
            var data = json.RootElement;
            Assert.Equal(reader.Email, data.GetProperty("email").GetString());
            Assert.Equal(reader.Name, data.GetProperty("name").GetString());
            Assert.Equal("confirmed", data.GetProperty("status").GetString());
            Assert.Equal("weekly", data.GetProperty("frequency").GetString());
            Assert.Equal(0, data.GetProperty("topics").GetArrayLength());
            Assert.True(data.TryGetProperty("consent", out _));
            var vote = Assert.Single(data.GetProperty("votes").EnumerateArray());
            Assert.Equal(("Mistral 4B Edge", "ship"), (vote.GetProperty("tool").GetString(), vote.GetProperty("vote").GetString()));
            var issue = Assert.Single(data.GetProperty("issues").EnumerateArray());
            Assert.Equal((1, "sent"), (issue.GetProperty("issue").GetInt32(), issue.GetProperty("status").GetString()));
        }

        Assert.DoesNotContain(other.Email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"skip\"", text, StringComparison.Ordinal);

        // A second use fails, by the button and by a plain POST alike.
        await page.GotoAsync(exportUrl);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link is not valid" })).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await scanner.PostAsync(exportUrl, null)).StatusCode);

        // Erase: likewise through a mailed link.
        await page.GotoAsync(preferences);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mail me a link to erase my data" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
        var eraseMail = (await sink.WaitForMessagesAsync(4)).Single(m => m.Message.Subject?.StartsWith("Erase your data at", StringComparison.Ordinal) == true);
        Assert.Equal([reader.Email], eraseMail.Recipients);
        var eraseUrl = MailedLink(baseUrl, eraseMail, "erase");

        // An export link does not erase, nor an erase link export: each is single-purpose.
        Assert.Equal(HttpStatusCode.NotFound, (await scanner.PostAsync(eraseUrl.Replace("/erase?", "/export?", StringComparison.Ordinal), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scanner.GetAsync(eraseUrl)).StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.Subscribers.CountAsync()));

        await page.GotoAsync(eraseUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase my data" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your data is erased" })).ToBeVisibleAsync();

        Assert.Equal([other.Email], await app.WithDbAsync(db => db.Subscribers.Select(s => s.Email).ToListAsync()));
        var votes = await app.WithDbAsync(db => db.Set<Vote>().OrderBy(v => v.Tool).Select(v => new { v.Tool, v.SubscriberId }).ToListAsync());
        Assert.Equal(new (string, long?)[] { ("Mistral 4B Edge", null), ("Modal GPU Serverless Inference", other.Id) }, votes.Select(v => (v.Tool, v.SubscriberId)).ToArray());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ReaderDataRequest>().CountAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await scanner.PostAsync(eraseUrl, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scanner.GetAsync(preferences)).StatusCode);
    }

    [Fact]
    public async Task AForwardedPreferenceLinkAsksOnlyAndAnUnknownLinkIsRefused()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(SmtpSettings(sink.Port));
        var client = new HttpClient { BaseAddress = app.StartKestrel() };
        var reader = (await AddReadersAsync(app, 1))[0];

        // Asking twice in a row mails one link, and always to the reader's own address.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/preferences/erase?token={reader.Token}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/preferences/erase?token={reader.Token}", null)).StatusCode);
        var mail = Assert.Single(await sink.WaitForMessagesAsync(1));
        Assert.Equal([reader.Email], mail.Recipients);
        await Task.Delay(500);
        Assert.Single(sink.Messages());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ReaderDataRequest>().CountAsync()));

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/preferences/export?token=not-a-reader-token-at-all", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/my-data/export?token=" + SubscriberTokens.New())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/my-data/erase?token=" + SubscriberTokens.New(), null)).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Subscribers.CountAsync()));

        // An expired link does nothing.
        var url = MailedLink(client.BaseAddress!, mail, "erase");
        await app.WithDbAsync(db => db.Set<ReaderDataRequest>().ExecuteUpdateAsync(u => u.SetProperty(r => r.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(url, null)).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Subscribers.CountAsync()));
    }

    private static string MailedLink(Uri baseUrl, ReceivedMail mail, string purpose)
    {
        var match = Regex.Match(mail.Text, $@"https?://\S+/my-data/{purpose}\?token=[A-Za-z0-9_-]+");
        Assert.True(match.Success, $"the mail has no {purpose} link:\n{mail.Text}");
        return new Uri(baseUrl, new Uri(match.Value).PathAndQuery).ToString();
    }

    [GeneratedRegex("<a class=\"preferences\" href=\"([^\"]+)\"")]
    private static partial Regex PreferencesLink();
}
