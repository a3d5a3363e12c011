using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Newsletter.Data;
using Newsletter.Tests.Delivery;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// An editor sends an issue from the console to a few thousand readers over a slow SMTP server
/// (smtp-sink answering each DATA after a second), watches the bar move, pauses (the sink receives
/// nothing more), resumes, and sees the issue's counts when it is done; /metrics counted the mails.
/// On SQLite (<see cref="ConsoleSendTests"/>) and PostgreSQL (<see cref="ConsoleSendOnPostgresTests"/>),
/// whose delivery stores differ (claims, progress, the queue depth). The base names no class fixture,
/// so each concrete class starts only its own sink, app and browser; screenshots are SQLite's.
/// </summary>
public abstract class ConsoleSendTestsBase(ConsoleSendTestsBase.Fixture fixture)
{
    public const int Readers = 2000;
    public const int Connections = 4;

    /// <summary>smtp-sink's -w: seconds before it answers a DATA, so the send runs at about Connections mails a second.</summary>
    public const int SinkDelaySeconds = 1;

    public class Fixture : IAsyncLifetime
    {
        private readonly DatabaseProvider _provider;

        public Fixture()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected Fixture(DatabaseProvider provider) => _provider = provider;

        public Browser Browser { get; } = new();

        public int Port { get; } = SmtpSink.FreePort();

        public SmtpSink Slow { get; private set; } = null!;

        public NewsletterApp App { get; private set; } = null!;

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Slow = await SmtpSink.StartAsync(Port, dump: true, "-w", SinkDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            App = new NewsletterApp(DeliveryTestData.SmtpSettings(Port, Connections), _provider);
            BaseUrl = App.StartKestrel();
            using var client = App.CreateAdminClient();
            var published = DateTimeOffset.UtcNow.AddDays(-1);
            (await client.PutAsync($"/api/comparisons/{SampleComparisons.Slug}", SampleComparisons.Content(SampleComparisons.With(SampleComparisons.Slug, published, "Mistral 4B Edge vs Modal GPU Serverless Inference")))).EnsureSuccessStatusCode();
            await DeliveryTestData.AddReadersAsync(App, Readers);
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
        var keep = app.Provider == DatabaseProvider.Sqlite;
        var page = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        await ConsoleBrowser.ScreenshotAsync(page, "next-desktop", keep);

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
        await ConsoleBrowser.ScreenshotAsync(page, "issue-sending-desktop", keep);
        var phone = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl, ConsoleBrowser.PhoneWidth, 844, ColorScheme.Dark);
        await phone.GotoAsync(new Uri(fixture.BaseUrl, "/admin/issues").ToString());
        await phone.WaitForSelectorAsync(".progress");
        await ConsoleBrowser.ScreenshotAsync(phone, "issues-sending-phone-dark", keep);

        // Pause: the mails on the wire finish, the run ends, and the engine's next look for work
        // passes over the held issue; from then on nothing more reaches the sink.
        await page.ClickAsync(".pause-form button");
        await page.WaitForSelectorAsync(".issue-status.held");
        await DeliveryTestData.WaitForHeldIssuePassedOverAsync(app, 1);
        using var api = app.CreateAdminClient();
        var held = await WaitForAsync(api, v => (string)v["status"]! == "held" && (int)v["sending"]! == 0, "the held issue to have nothing in flight");
        var sentAtPause = (int)held["sent"]!;
        Assert.InRange(sentAtPause, 1, Readers - 1);
        await fixture.Slow.WaitForMessagesAsync(sentAtPause);
        Assert.Equal(sentAtPause, fixture.Slow.Messages().Count);
        Assert.Equal("paused", await page.InnerTextAsync(".progress [data-field=status]"));

        // /metrics reads the queue from the database: every reader not yet mailed waits in it (the
        // gauge's value may be a few seconds old, so a scrape shows it soon, not at once).
        using var scraper = app.CreateAdminClient();
        await DeliveryTestData.WaitUntilAsync(async () =>
            MetricsText.Samples(await scraper.GetStringAsync("/metrics"), "newsletter_queue_depth").Contains(Readers - sentAtPause));
        await ConsoleBrowser.ScreenshotAsync(page, "issue-paused-desktop", keep);

        // Resume, against a sink at full speed on the same address, so the rest of the send is quick.
        await fixture.Slow.StopAsync();
        await using var fast = await SmtpSink.StartAsync(fixture.Port, dump: true);
        await page.ClickAsync(".resume-form button");
        await page.WaitForSelectorAsync(".issue-status.sent", new() { Timeout = 120_000 });

        Assert.Equal("2,000", await page.InnerTextAsync(".stat [data-field=sent]"));
        Assert.Equal("0", await page.InnerTextAsync(".stat [data-field=failed]"));
        Assert.Equal("2,000", await page.InnerTextAsync(".stat [data-field=readers]"));
        await ConsoleBrowser.ScreenshotAsync(page, "issue-sent-desktop", keep);

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
        await ConsoleBrowser.ScreenshotAsync(page, "issues-desktop", keep);

        // Prometheus sees the deliveries (the counter is process-wide: at least this send's).
        using var scrape = app.CreateClient();
        scrape.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", NewsletterApp.AdminKey);
        var metrics = await scrape.GetStringAsync("/metrics");
        var sent = MetricsText.Samples(metrics, "newsletter_deliveries_total", "outcome=\"sent\"");
        Assert.True(sent.Any(v => v >= Readers), $"newsletter_deliveries_total{{outcome=\"sent\"}} is [{string.Join(", ", sent)}]");
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

/// <summary>The send from the console on SQLite.</summary>
public sealed class ConsoleSendTests(ConsoleSendTestsBase.Fixture fixture)
    : ConsoleSendTestsBase(fixture), IClassFixture<ConsoleSendTestsBase.Fixture>;

/// <summary>The same send on PostgreSQL, through its delivery store.</summary>
public sealed class ConsoleSendOnPostgresTests(ConsoleSendOnPostgresTests.PostgresFixture fixture)
    : ConsoleSendTestsBase(fixture), IClassFixture<ConsoleSendOnPostgresTests.PostgresFixture>
{
    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);
}
