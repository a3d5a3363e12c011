using Microsoft.Playwright;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// The subject test from the console in Chromium: the editor writes a second subject on the
/// next-digest page, sends, sees both subjects' figures and the wait on the issue's page, picks the
/// winner early, and the rest of the readers get that subject. Both pages, in both states, pass axe.
/// </summary>
public sealed class SubjectTestConsoleTests : IAsyncLifetime
{
    private const int Readers = 60;

    private readonly Browser _browser = new();
    private SmtpSink _sink = null!;
    private NewsletterApp _app = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        var settings = SmtpSettings(_sink.Port, 2);
        settings["Digest:SubjectTestShare"] = "0.2";
        settings["Digest:SubjectTestMinimum"] = "5";
        settings["Digest:SubjectTestWait"] = "02:00:00";
        _app = new NewsletterApp(settings);
        _baseUrl = _app.StartKestrel();
        await AddReadersAsync(_app, Readers);
        await _browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _app.Dispose();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task AnEditorWritesASecondSubjectSeesBothHalvesAndPicksTheWinnerEarly()
    {
        var admin = _app.CreateAdminClient();
        await PublishAsync(admin, "subject-console", "Console verdict");
        var page = await ConsoleBrowser.SignedInAsync(_browser, _baseUrl);

        await page.FillAsync("#subject", "Verdict #{number}");
        await page.FillAsync("#second-subject", "{title}: which one ships?");
        await page.ClickAsync("form.draft button[type=submit]");
        await page.WaitForURLAsync("**/admin?saved=1*");
        Assert.Equal("{title}: which one ships?", await page.InputValueAsync("#second-subject"));
        await AssertAxeAsync(page, "next digest with a second subject");

        // Send; the sample (12: six per subject) goes, the rest (48) waits.
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForIssueAsync(admin, 1, v => v.Status == "paused" && v.Sent == 12, TimeSpan.FromSeconds(60));
        await _sink.WaitForMessagesAsync(12);

        await page.GotoAsync(new Uri(_baseUrl, "/admin/issues/1").ToString());
        var halves = await page.Locator("table.subject-test-halves tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, halves.Count);
        Assert.Contains("A: Verdict #1", halves[0], StringComparison.Ordinal);
        Assert.Contains("B: Console verdict: which one ships?", halves[1], StringComparison.Ordinal);
        Assert.All(halves, h => Assert.Contains("\t6\t6\t0\t0.0%", h, StringComparison.Ordinal));
        Assert.Contains("The rest waits until", await page.InnerTextAsync(".subject-test-wait"), StringComparison.Ordinal);
        await AssertAxeAsync(page, "issue with a subject test waiting");

        await page.ClickAsync("button.pick-b");
        await page.WaitForSelectorAsync(".alert-ok");
        Assert.Contains("Subject B wins", await page.InnerTextAsync(".alert-ok"), StringComparison.Ordinal);
        await WaitForIssueAsync(admin, 1, v => v.Status == "sent", TimeSpan.FromSeconds(60));
        await page.ReloadAsync();
        Assert.Contains("The winner is B, “Console verdict: which one ships?”: picked by API key",
            await page.InnerTextAsync(".subject-test-winner"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("button.pick-a").CountAsync());
        await AssertAxeAsync(page, "issue with a subject test decided");

        var mails = await _sink.WaitForMessagesAsync(Readers);
        Assert.Equal(Readers, mails.Select(m => Assert.Single(m.Recipients)).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(Readers - 6, mails.Count(m => m.Message.Subject == "Console verdict: which one ships?"));
        Assert.Equal(6, mails.Count(m => m.Message.Subject == "Verdict #1"));

        // The audit log names who picked.
        await page.GotoAsync(new Uri(_baseUrl, "/admin/audit").ToString());
        Assert.Contains("Picked a subject test's winner", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    private static Task AssertAxeAsync(IPage page, string label) => AxeCheck.AssertPassesAsync(page, label);
}
