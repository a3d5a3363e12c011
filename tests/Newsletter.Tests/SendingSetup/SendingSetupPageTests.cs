using System.Net.Http.Json;
using System.Text.Json;
using Newsletter.Inbound;
using Newsletter.SendingSetup;
using Newsletter.Tests.EditorConsole;
using Newsletter.Tests.Fixtures;
using Newsletter.Tests.Inbound;

namespace Newsletter.Tests.SendingSetup;

/// <summary>
/// The console's Sending setup page and GET /api/setup, against dnsmasq, with DMARC aggregate
/// reports put in a real Dovecot mailbox and read by the mailbox job; the page passes axe.
/// </summary>
public sealed class SendingSetupPageTests(SetupDns dns, DovecotFixture dovecot, Browser browser)
    : IClassFixture<SetupDns>, IClassFixture<DovecotFixture>, IClassFixture<Browser>
{
    private const string Domain = "right.example";

    private NewsletterApp App()
    {
        var settings = InboundTestApp.Settings(dovecot.Server, dns.Settings(Domain));
        return new NewsletterApp(settings);
    }

    [Fact]
    public async Task ReportsFromTheMailboxAreKeptOnceAndShowOnThePageWhichPassesAxe()
    {
        using var app = App();
        var baseUrl = app.StartKestrel();
        var server = dovecot.Server;
        var xxe = DmarcSamples.MicrosoftXml(Domain).Replace(
            "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>", StringComparison.Ordinal)
            .Replace("<org_name>Outlook.com</org_name>", "<org_name>&xxe;</org_name>", StringComparison.Ordinal);
        await server.AppendAsync(DmarcSamples.Zipped(Domain));
        await server.AppendAsync(DmarcSamples.Gzipped(Domain));
        await server.AppendAsync(DmarcSamples.GzippedXml(xxe, "evil@attacker.example", "Report Domain: right.example", "<xxe@attacker.example>", "x.xml.gz"));
        await server.AppendAsync(DmarcSamples.GzippedXml(DmarcSamples.MicrosoftXml("someone-else.example"), "dmarcreport@microsoft.com",
            "Report Domain: someone-else.example", "<other-domain@microsoft.com>", "other.xml.gz"));

        var check = await InboundTestApp.Service<InboundMailbox>(app).CheckAsync(CancellationToken.None);

        Assert.Equal((2, 2), (check.Handled, check.Review));
        Assert.Equal(["<13061986251637412345@google.com>", "<outlook-report-1@microsoft.com>"], (await server.ListAsync("Processed")).Order());
        Assert.Equal(["<other-domain@microsoft.com>", "<xxe@attacker.example>"], (await server.ListAsync("Review")).Order());

        // The same report again (a crash before the move would leave it): kept once.
        await server.AppendAsync(DmarcSamples.Zipped(Domain));
        var again = await InboundTestApp.Service<InboundMailbox>(app).CheckAsync(CancellationToken.None);
        Assert.Equal((1, 0), (again.Handled, again.Review));
        Assert.Equal(2, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<DmarcReport>())));

        var page = await ConsoleBrowser.SignedInAsync(browser, baseUrl);
        await page.GotoAsync(new Uri(baseUrl, "/admin/setup").ToString());

        Assert.Equal("Sending setup", await page.InnerTextAsync("nav.console-nav [aria-current=page]"));
        Assert.Equal("right", await page.InnerTextAsync(".record[data-purpose=DKIM] .badge"));
        Assert.Equal("right", await page.InnerTextAsync(".record[data-purpose=DMARC] .badge"));
        Assert.Equal("right", await page.InnerTextAsync(".record[data-purpose=SPF] .badge"));
        Assert.Equal("right", await page.InnerTextAsync(".record[data-purpose=MX] .badge"));
        Assert.Contains("Every required record is published.", await page.InnerTextAsync(".alert"), StringComparison.Ordinal);

        var google = page.Locator(".dmarc-reports tr[data-report='13061986251637412345']");
        Assert.Equal(("1,203", "1,200", "1,200"), (await google.Locator("[data-field=mails]").InnerTextAsync(),
            await google.Locator("[data-field=dkim]").InnerTextAsync(), await google.Locator("[data-field=spf]").InnerTextAsync()));
        var outlook = page.Locator(".dmarc-reports tr[data-report='c1e5a0f4d8b94a2f9f6e7d2b1a0c3e4f']");
        Assert.Equal(("450", "450", "0"), (await outlook.Locator("[data-field=mails]").InnerTextAsync(),
            await outlook.Locator("[data-field=dkim]").InnerTextAsync(), await outlook.Locator("[data-field=spf]").InnerTextAsync()));
        var spoofer = page.Locator(".dmarc-sources tr[data-source='198.51.100.7']");
        Assert.Equal(("3", "0"), (await spoofer.Locator("[data-field=mails]").InnerTextAsync(), await spoofer.Locator("[data-field=dkim]").InnerTextAsync()));

        await AxeCheck.AssertPassesAsync(page, "the sending setup page with reports");
        await ConsoleBrowser.ScreenshotAsync(page, "setup");

        var phone = await ConsoleBrowser.SignedInAsync(browser, baseUrl, ConsoleBrowser.PhoneWidth);
        await phone.GotoAsync(new Uri(baseUrl, "/admin/setup").ToString());
        await ConsoleBrowser.ScreenshotAsync(phone, "setup-phone");
    }

    [Fact]
    public async Task TheApiAnswersWithTheRecordsAndTheirState()
    {
        var settings = dns.Settings("nodmarc.example");
        settings["SendingSetup:Relay"] = "Postmark";
        using var app = new NewsletterApp(settings);
        using var client = app.CreateAdminClient();

        var report = await client.GetFromJsonAsync<JsonElement>("/api/setup");

        Assert.False(report.GetProperty("passes").GetBoolean());
        var records = report.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("purpose").GetString()!);
        Assert.Equal("Right", records["DKIM"].GetProperty("state").GetString());
        Assert.Equal("Missing", records["DMARC"].GetProperty("state").GetString());
        Assert.True(records["DMARC"].GetProperty("required").GetBoolean());
        // Behind Postmark our SPF and MX are not required; the SPF there lacks Postmark's include.
        Assert.False(records["SPF"].GetProperty("required").GetBoolean());
        Assert.Equal("Note", records["SPF"].GetProperty("state").GetString());
        Assert.Contains("include:spf.mtasv.net", records["SPF"].GetProperty("verdict").GetString(), StringComparison.Ordinal);
        Assert.Equal("NotNeeded", records["MX"].GetProperty("state").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(new Uri("/api/setup", UriKind.Relative))).StatusCode);
    }
}
