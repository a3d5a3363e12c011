using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Newsletter.Tests.Delivery;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// An editor sends an issue from the console to a few thousand readers over a slow SMTP server
/// (smtp-sink answering each DATA after a second), watches the bar move, pauses (the sink receives
/// nothing more), resumes, and sees the issue's counts when it is done; /metrics counted the mails.
/// </summary>
public sealed class ConsoleSendTests(ConsoleSendTests.Fixture fixture) : IClassFixture<ConsoleSendTests.Fixture>
{
    public const int Readers = 2000;
    public const int Connections = 4;

    /// <summary>smtp-sink's -w: seconds before it answers a DATA, so the send runs at about Connections mails a second.</summary>
    public const int SinkDelaySeconds = 1;

    public sealed class Fixture : IAsyncLifetime
    {
        public Browser Browser { get; } = new();

        public int Port { get; } = SmtpSink.FreePort();

        public SmtpSink Slow { get; private set; } = null!;

        public NewsletterApp App { get; private set; } = null!;

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Slow = await SmtpSink.StartAsync(Port, dump: true, "-w", SinkDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            App = new NewsletterApp(DeliveryTestData.SmtpSettings(Port, Connections));
            BaseUrl = App.StartKestrel();
            using var client = App.CreateAdminClient();
            var published = DateTimeOffset.UtcNow.AddDays(-1);
            (await client.PutAsync($"/api/comparisons/{SampleComparisons.Slug}", SampleComparisons.Content(SampleComparisons.With(SampleComparisons.Slug, published, "Mistral 4B Edge vs Modal GPU Serverless Inference")))).EnsureSuccessStatusCode();
            await DeliveryTestData.AddReadersAsync(App.Folder, Readers);
            await Browser.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            App.Dispose();
            await Slow.DisposeAsync();
        }
    }

    [Fact]
    public async Task SendPauseResumeAndTheCountsWhenDone()
    {
        var app = fixture.App;
        var page = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        await ConsoleBrowser.ScreenshotAsync(page, "next-desktop");

        // "Send now" asks first, naming how many readers the issue goes to.
        await page.ClickAsync("details.confirm summary");
        Assert.Contains("2,000 readers", await page.InnerTextAsync(".confirm-box"), StringComparison.Ordinal);
        await page.ClickAsync("form.send-now button");
        await page.WaitForURLAsync("**/admin/issues/1");

        // The bar moves without a reload: the page's own polling redraws it.
        var done = page.Locator(".progress [data-field=done]");
        await Expect(page, () => ConsoleBrowser.NumberAsync(done), n => n > 0, "the bar to show a first mail");
        var first = await ConsoleBrowser.NumberAsync(done);
        await Expect(page, () => ConsoleBrowser.NumberAsync(done), n => n > first, "the bar to move on");
        Assert.EndsWith("/admin/issues/1", page.Url, StringComparison.Ordinal);
        Assert.Contains("mails/s", await page.InnerTextAsync(".progress [data-field=rate]"), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "issue-sending-desktop");
        var phone = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl, ConsoleBrowser.PhoneWidth, 844, ColorScheme.Dark);
        await phone.GotoAsync(new Uri(fixture.BaseUrl, "/admin/issues").ToString());
        await phone.WaitForSelectorAsync(".progress");
        await ConsoleBrowser.ScreenshotAsync(phone, "issues-sending-phone-dark");

        // Pause: the mails on the wire finish, then nothing more reaches the sink.
        await page.ClickAsync(".pause-form button");
        await page.WaitForSelectorAsync(".issue-status.held");
        using var api = app.CreateAdminClient();
        var held = await WaitForAsync(api, v => (string)v["status"]! == "held" && (int)v["sending"]! == 0, "the held issue to have nothing in flight");
        var sentAtPause = (int)held["sent"]!;
        Assert.InRange(sentAtPause, 1, Readers - 1);
        await fixture.Slow.WaitForMessagesAsync(sentAtPause);

        // Over three sink delays a running send would deliver about 3 × Connections mails; a paused one none.
        var window = TimeSpan.FromSeconds(3 * SinkDelaySeconds);
        await Task.Delay(window);
        Assert.Equal(sentAtPause, fixture.Slow.Messages().Count);
        Assert.Equal(sentAtPause, (int)(await IssueAsync(api))["sent"]!);
        Assert.Equal("paused", await page.InnerTextAsync(".progress [data-field=status]"));
        await ConsoleBrowser.ScreenshotAsync(page, "issue-paused-desktop");

        // Resume, against a sink at full speed on the same address, so the rest of the send is quick.
        await fixture.Slow.StopAsync();
        await using var fast = await SmtpSink.StartAsync(fixture.Port, dump: true);
        await page.ClickAsync(".resume-form button");
        await page.WaitForSelectorAsync(".issue-status.sent", new() { Timeout = 120_000 });

        Assert.Equal("2,000", await page.InnerTextAsync(".stat [data-field=sent]"));
        Assert.Equal("0", await page.InnerTextAsync(".stat [data-field=failed]"));
        Assert.Equal("2,000", await page.InnerTextAsync(".stat [data-field=readers]"));
        await ConsoleBrowser.ScreenshotAsync(page, "issue-sent-desktop");

        // Every reader got the issue once: the slow sink's mails and the fast one's, no one twice.
        var recipients = fixture.Slow.Messages().Concat(await fast.WaitForMessagesAsync(Readers - sentAtPause))
            .SelectMany(m => m.Recipients).ToList();
        Assert.Equal(Readers, recipients.Count);
        Assert.Equal(Readers, recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        // The list shows the finished issue with its numbers.
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/issues").ToString());
        var row = page.Locator("tr.issue[data-number='1']");
        Assert.Equal("2,000", await row.Locator("[data-field=sent]").InnerTextAsync());
        Assert.Equal("0", await row.Locator("[data-field=clicks]").InnerTextAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "issues-desktop");

        // Prometheus sees the deliveries (the counter is process-wide: at least this send's).
        using var scrape = app.CreateClient();
        scrape.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", NewsletterApp.AdminKey);
        var metrics = await scrape.GetStringAsync("/metrics");
        var sent = metrics.Split('\n').Single(l => l.StartsWith("newsletter_deliveries_total{", StringComparison.Ordinal) && l.Contains("outcome=\"sent\"", StringComparison.Ordinal));
        Assert.True(double.Parse(sent.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= Readers, sent);
        Assert.Contains("newsletter_queue_depth", metrics, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> IssueAsync(HttpClient api) => (await api.GetFromJsonAsync<JsonObject>("/api/digests/1"))!;

    private static async Task<JsonObject> WaitForAsync(HttpClient api, Func<JsonObject, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var issue = await IssueAsync(api);
            if (condition(issue))
            {
                return issue;
            }

            Assert.True(DateTime.UtcNow < deadline, $"waited 30 s for {what}; last: {issue.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private static async Task Expect(IPage page, Func<Task<int>> read, Func<int, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition(await read()))
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 30 s for {what} on {page.Url}");
            await Task.Delay(200);
        }
    }
}
