using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Newsletter.Data;
using Newsletter.Subscribers;
using Newsletter.Tests.Digests;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// The subscribers page over weeks of a hand-set clock: readers imported by CSV upload show in the
/// week they were imported, unsubscribes in theirs; one reader's page says why they stopped.
/// Comparisons show which issue carried them. On SQLite (<see cref="ConsoleSubscribersTests"/>) and
/// PostgreSQL (<see cref="ConsoleSubscribersOnPostgresTests"/>): the counts, the weekly chart, the
/// search and the upload are queries of their own on each. The base names no class fixture, so each
/// concrete class starts only its own app and browser; the phone screenshots (layout) are SQLite's.
/// </summary>
public abstract class ConsoleSubscribersTestsBase(ConsoleSubscribersTestsBase.Fixture fixture)
{
    /// <summary>
    /// The Wednesday after the app's <see cref="DigestTestApp.Start"/> (Monday 23 Nov 2026), then three
    /// and six weeks on: the app's clock only moves forward.
    /// </summary>
    public static readonly DateTimeOffset FirstImport = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Unsubscribing = new(2026, 12, 17, 18, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset SecondImport = new(2027, 1, 6, 8, 0, 0, TimeSpan.Zero);

    public class Fixture : IAsyncLifetime
    {
        public Fixture()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected Fixture(DatabaseProvider provider)
        {
            App = new(provider: provider);
        }

        public Browser Browser { get; } = new();

        public DigestTestApp App { get; }

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            BaseUrl = App.StartKestrel();
            await App.PutAsync("carried-one", DigestTestApp.Start - TimeSpan.FromDays(2), "Cursor vs Windsurf <b>not bold</b>");
            await App.MakeIssueAsync("2026-11-23T09:00:00Z", sent: true);
            await App.PutAsync("waiting-one", DigestTestApp.Start - TimeSpan.FromDays(1), "Claude Code vs Aider");
            await Browser.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            App.Dispose();
        }
    }

    /// <summary>Screenshots are kept from the SQLite run; the PostgreSQL twin's pages look the same.</summary>
    private bool Keep => fixture.App.Provider == DatabaseProvider.Sqlite;

    private static string Csv(string prefix, int count) =>
        "email,name\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"{prefix}{i}@example.com,Reader {i}\n"));

    /// <summary>Sessions are dated: after the clock jumps, the editor signs in again, as they would.</summary>
    private async Task AtAsync(IPage page, DateTimeOffset now)
    {
        fixture.App.Clock.SetUtcNow(now);
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/subscribers").ToString());
        await page.FillAsync("#key", NewsletterApp.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("nav.console-nav");
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/subscribers").ToString());
    }

    private static async Task UploadAsync(IPage page, string name, string csv)
    {
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("form.import button");
        await page.WaitForSelectorAsync(".import-result");
    }

    private static async Task<int> BarAsync(IPage page, string week, string series) =>
        int.Parse(await page.GetAttributeAsync($".growth-chart g[data-week='{week}'] rect[data-series='{series}']", "data-count") ?? "-1",
            System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ImportedReadersShowInTheWeekTheyCameAndUnsubscribesInTheirs()
    {
        var app = fixture.App;
        var page = await fixture.Browser.NewPageAsync();
        await AtAsync(page, FirstImport);
        await UploadAsync(page, "first.csv", Csv("early", 30) + "not-an-address,Nobody\n");
        var result = await page.InnerTextAsync(".import-result");
        Assert.Contains("30 added", result, StringComparison.Ordinal);
        Assert.Contains("Line 32", result, StringComparison.Ordinal);

        // Three of them leave through their unsubscribe link, three weeks later.
        app.Clock.SetUtcNow(Unsubscribing);
        var tokens = await app.WithDbAsync(db => db.Subscribers.Where(s => s.Email.StartsWith("early1")).OrderBy(s => s.Id).Take(3).Select(s => s.UnsubscribeToken).ToListAsync());
        using var client = app.CreateClient();
        foreach (var token in tokens)
        {
            (await client.PostAsync("/unsubscribe?token=" + token, null)).EnsureSuccessStatusCode();
        }

        await AtAsync(page, SecondImport);
        await UploadAsync(page, "second.csv", Csv("late", 5));

        // Week of Monday 23 Nov: the 30; week of 14 Dec: the 3 who left; this week (4 Jan): the 5.
        Assert.Equal(30, await BarAsync(page, "2026-11-23", "confirmed"));
        Assert.Equal(0, await BarAsync(page, "2026-11-23", "unsubscribed"));
        Assert.Equal(3, await BarAsync(page, "2026-12-14", "unsubscribed"));
        Assert.Equal(5, await BarAsync(page, "2027-01-04", "confirmed"));
        Assert.Equal(12, await page.Locator(".growth-chart g.week").CountAsync());
        Assert.Equal("32", await page.InnerTextAsync(".status-counts [data-status=confirmed] .value"));
        Assert.Equal("3", await page.InnerTextAsync(".status-counts [data-status=unsubscribed] .value"));
        await ConsoleBrowser.ScreenshotAsync(page, "subscribers-desktop", Keep);

        // Search (as typed: the case does not matter), then one reader's history: who they are, and why they stopped.
        await page.FillAsync("#q", "Early1");
        await page.SelectOptionAsync("#status", "unsubscribed");
        await page.ClickAsync("form.search button");
        Assert.Equal(3, await page.Locator("table.readers tbody tr").CountAsync());
        await page.ClickAsync("table.readers tbody tr >> nth=0 >> a");
        await page.WaitForSelectorAsync("section.reader");
        Assert.StartsWith("Unsubscribed on 17 Dec 2026 18:00 UTC", await page.InnerTextAsync(".stopped"), StringComparison.Ordinal);
        Assert.Contains("console upload: first.csv", await page.InnerTextAsync("dl.facts"), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "reader-desktop", Keep);

        foreach (var scheme in Keep ? new[] { ColorScheme.Light, ColorScheme.Dark } : [])
        {
            var phone = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl, ConsoleBrowser.PhoneWidth, 844, scheme);
            await phone.GotoAsync(new Uri(fixture.BaseUrl, "/admin/subscribers").ToString());
            await ConsoleBrowser.ScreenshotAsync(phone, $"subscribers-phone-{scheme.ToString().ToLowerInvariant()}");
        }
    }

    [Fact]
    public async Task ComparisonsSayWhichIssueCarriedThemAndWhatWaits()
    {
        var page = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/comparisons").ToString());

        Assert.Equal("carried by #1", (await page.InnerTextAsync("tr[data-slug='carried-one'] .state")).Trim());
        Assert.Equal("next digest", (await page.InnerTextAsync("tr[data-slug='waiting-one'] .state")).Trim());

        // A title is data, never markup.
        Assert.Contains("<b>not bold</b>", await page.InnerTextAsync("tr[data-slug='carried-one'] td >> nth=0"), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "comparisons-desktop", Keep);
        if (!Keep)
        {
            return;
        }

        var phone = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl, ConsoleBrowser.PhoneWidth, 844, ColorScheme.Dark);
        await phone.GotoAsync(new Uri(fixture.BaseUrl, "/admin/comparisons").ToString());
        await ConsoleBrowser.ScreenshotAsync(phone, "comparisons-phone-dark");
        await phone.GotoAsync(new Uri(fixture.BaseUrl, "/admin").ToString());
        await ConsoleBrowser.ScreenshotAsync(phone, "next-phone-dark");
        await phone.GotoAsync(new Uri(fixture.BaseUrl, "/admin/issues/1").ToString());
        await ConsoleBrowser.ScreenshotAsync(phone, "issue-phone-dark");
    }
}

/// <summary>The subscribers and comparisons pages on SQLite.</summary>
public sealed class ConsoleSubscribersTests(ConsoleSubscribersTestsBase.Fixture fixture)
    : ConsoleSubscribersTestsBase(fixture), IClassFixture<ConsoleSubscribersTestsBase.Fixture>;

/// <summary>The same pages on PostgreSQL.</summary>
public sealed class ConsoleSubscribersOnPostgresTests(ConsoleSubscribersOnPostgresTests.PostgresFixture fixture)
    : ConsoleSubscribersTestsBase(fixture), IClassFixture<ConsoleSubscribersOnPostgresTests.PostgresFixture>
{
    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);
}
