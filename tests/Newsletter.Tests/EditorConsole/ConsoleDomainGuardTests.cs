using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// An editor in Chromium sees an issue whose mail to one domain the reputation guard holds: the held
/// count, failures by reason and domain, the paused domain with its reason and the servers' words;
/// "Resume" sends the held mail once.
/// </summary>
public sealed class ConsoleDomainGuardTests : IAsyncLifetime
{
    private const string Busy = "busy.example.net";

    private readonly Browser _browser = new();

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task TheIssuePageShowsTheHeldDomainAndResumesIt()
    {
        await using var sink = await SmtpSink.StartAsync();
        var settings = SmtpSettings(sink.Port);
        settings["Digest:Schedule"] = "* * * * * ?";
        settings["Bounces:DomainGuard:MinimumComplaints"] = "2";
        using var app = new NewsletterApp(settings);
        var baseUrl = app.StartKestrel();
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 3, prefix: "calm");
        await AddReadersAsync(app, 5, prefix: "busy");
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            $"UPDATE Subscribers SET Email = replace(Email, '@example.com', '@{Busy}'), EmailKey = replace(EmailKey, '@example.com', '@{Busy}') WHERE Email LIKE 'busy%'"));

        await SendAsync(admin, 1);
        await sink.WaitForMessagesAsync(8);
        foreach (var who in new[] { "busy0001", "busy0002" })
        {
            (await admin.PostAsJsonAsync("/api/bounces", new { email = $"{who}@{Busy}", type = "complaint", reason = "Feedback report: abuse from " + who })).EnsureSuccessStatusCode();
        }

        await SendAsync(admin, 2);
        var page = await ConsoleBrowser.SignedInAsync(_browser, baseUrl);
        await page.GotoAsync(new Uri(baseUrl, "/admin/issues/2").ToString());
        Assert.Contains($"3 held for {Busy}", await page.InnerTextAsync(".held-for-domain"), StringComparison.Ordinal);
        var paused = page.Locator($".paused-domain[data-domain='{Busy}']");
        Assert.Contains("complaints: 2 of 5", await paused.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("abuse from busy0001", await paused.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "issue-paused-domain");

        // Issue 1's page: the complaints by reason and under "other" (not a big provider), as the readers' problems.
        await page.GotoAsync(new Uri(baseUrl, "/admin/issues/1").ToString());
        Assert.Contains("complaint", await page.InnerTextAsync("table.failures-by-reason"), StringComparison.Ordinal);
        Assert.Contains("other", await page.InnerTextAsync("table.failures-by-domain"), StringComparison.Ordinal);
        Assert.Equal("2", await page.InnerTextAsync("[data-field=reader-failures]"));
        Assert.Equal("0", await page.InnerTextAsync("[data-field=sender-failures]"));

        // Resume from the console: the three held mails go out once, and the domain is no longer listed.
        await page.GotoAsync(new Uri(baseUrl, "/admin/issues/2").ToString());
        await page.ClickAsync("button.resume-domain");
        await page.WaitForSelectorAsync(".alert-ok");
        Assert.Contains("resumed", await page.InnerTextAsync(".alert-ok"), StringComparison.Ordinal);
        await sink.WaitForMessagesAsync(8 + 3 + 3);
        await WaitForIssueAsync(admin, 2, i => i.Status == "sent" && i.Queued == 0);
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator(".held-for-domain").CountAsync());
        Assert.Contains("No recipient domain is paused", await page.InnerTextAsync(".paused-domains"), StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Equal(14, Accepted(sink).Count);
    }

    private static async Task SendAsync(HttpClient admin, int number)
    {
        await Task.Delay(1100); // the next schedule slot (one a second here)
        await PublishAsync(admin, $"console-guard-{number}", $"Console guard issue {number}");
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForIssueAsync(admin, number, i => i.Status == "sent");
    }
}
