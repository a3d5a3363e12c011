using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Microsoft.Playwright;
using Newsletter.Data;
using Newsletter.Tests.Delivery;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.EditorAccounts;

/// <summary>
/// Editors as people, end to end: an editor seeded from Newsletter:Editors asks for a sign-in link,
/// smtp-sink receives it, Chromium opens it (the GET signs nobody in), presses the one button, and
/// is in; the link then fails; the audit log names the editor who pressed Send; removing an editor
/// ends their session; /api/editors and /api/audit with the admin key.
/// </summary>
public abstract class EditorAccountsTestsBase(EditorAccountsTestsBase.Fixture fixture)
{
    public const string Ann = "ann@verdicts.example.com";

    public class Fixture : IAsyncLifetime
    {
        private readonly DatabaseProvider _provider;

        public Fixture()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected Fixture(DatabaseProvider provider) => _provider = provider;

        public Browser Browser { get; } = new();

        public SmtpSink Sink { get; private set; } = null!;

        public NewsletterApp App { get; private set; } = null!;

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Sink = await SmtpSink.StartAsync();
            var settings = DeliveryTestData.SmtpSettings(Sink.Port);
            settings["Newsletter:Editors:0"] = "Ann Editor <Ann@verdicts.example.com>";
            App = new NewsletterApp(settings, _provider);
            BaseUrl = App.StartKestrel();
            await Browser.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            App.Dispose();
            await Sink.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnEditorSignsInFromTheMailedLinkOnceAndTheAuditLogNamesWhoSent()
    {
        using var admin = fixture.App.CreateAdminClient();
        var readers = await DeliveryTestData.AddReadersAsync(fixture.App, 3, prefix: "audited");
        await DeliveryTestData.PublishAsync(admin, "audited-comparison", "The audited comparison");

        var link = await AskForLinkAsync(Ann);

        // A link scanner's GET: a page with one button, no cookie, and the link still works after it.
        using (var scanner = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.BaseUrl })
        {
            for (var i = 0; i < 2; i++)
            {
                var get = await scanner.GetAsync(new Uri(link, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, get.StatusCode);
                Assert.False(get.Headers.Contains("Set-Cookie"));
                Assert.Contains("id=\"use-link\"", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            var console = await scanner.GetAsync(new Uri("/admin", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, console.StatusCode);
        }

        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.BaseUrl, link).ToString());
        await page.ClickAsync("#use-link");
        await page.WaitForSelectorAsync("nav.console-nav");
        Assert.EndsWith("/admin", page.Url, StringComparison.Ordinal);

        // Used once: a second browser, and a second POST, get the page that says so.
        var second = await fixture.Browser.NewPageAsync();
        var again = await second.GotoAsync(new Uri(fixture.BaseUrl, link).ToString());
        Assert.Equal(404, again!.Status);
        Assert.Contains("does not work", await second.InnerTextAsync("h1"), StringComparison.Ordinal);
        using (var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.BaseUrl })
        {
            var post = await client.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([]));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
            Assert.False(post.Headers.Contains("Set-Cookie"));
        }

        await second.Context.CloseAsync();

        // Ann presses "Send now".
        await page.ClickAsync("details.confirm summary");
        await page.ClickAsync("form.send-now button");
        await page.WaitForURLAsync("**/admin/issues/*");
        await fixture.Sink.WaitForMessagesAsync(readers.Count + 1);

        // The log in a tab of its own (the same session): the page reloads itself once its
        // poll sees the issue sent, and that reload may land after a navigation away from it.
        var log = await page.Context.NewPageAsync();
        await log.GotoAsync(new Uri(fixture.BaseUrl, "/admin/audit?editor=" + Uri.EscapeDataString(Ann)).ToString());
        var rows = await log.Locator("table.audit-list tbody tr").AllInnerTextsAsync();
        Assert.Contains(rows, r => r.Contains(Ann, StringComparison.Ordinal) && r.Contains("Sent the digest now", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(Ann, StringComparison.Ordinal) && r.Contains("Signed in", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains(Ann, r, StringComparison.Ordinal));

        var audit = await admin.GetFromJsonAsync<JsonObject>("/api/audit?actor=" + Uri.EscapeDataString(Ann));
        var entries = audit!["entries"]!.AsArray();
        Assert.Equal("Sent the digest now", entries[0]!["action"]!.GetValue<string>());
        Assert.Equal(Ann, entries[0]!["actor"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAnswerIsTheSameForAStrangerAndOnlyAnEditorGetsAMail()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/signin").ToString());
        await page.FillAsync("#editor-email", "stranger@example.com");
        await page.ClickAsync("#send-link");
        var stranger = (await page.InnerTextAsync("main")).Replace("stranger@example.com", "ADDRESS", StringComparison.Ordinal);

        using (var admin = fixture.App.CreateAdminClient())
        {
            (await admin.PostAsJsonAsync("/api/editors", new { email = "cleo@verdicts.example.com" })).EnsureSuccessStatusCode();
        }

        await AskForLinkAsync("cleo@verdicts.example.com");
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/signin").ToString());
        await page.FillAsync("#editor-email", "cleo@verdicts.example.com");
        await page.ClickAsync("#send-link");
        var editor = (await page.InnerTextAsync("main")).Replace("cleo@verdicts.example.com", "ADDRESS", StringComparison.Ordinal);

        Assert.Equal(stranger, editor);
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.Recipients.Contains("stranger@example.com"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RemovingAnEditorEndsTheirSession()
    {
        using var admin = fixture.App.CreateAdminClient();
        (await admin.PostAsJsonAsync("/api/editors", new { email = "bob@verdicts.example.com", name = "Bob" })).EnsureSuccessStatusCode();
        var page = await SignedInAsync("bob@verdicts.example.com");
        Assert.Equal(200, (await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/issues").ToString()))!.Status);

        // Removed from the console by another editor (the key's session here).
        var other = await Newsletter.Tests.EditorConsole.ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        await other.GotoAsync(new Uri(fixture.BaseUrl, "/admin/editors").ToString());
        await other.ClickAsync("tr[data-email='bob@verdicts.example.com'] button");
        await other.WaitForSelectorAsync(".alert-ok");
        Assert.Equal(0, await other.Locator("tr[data-email='bob@verdicts.example.com']").CountAsync());

        var after = await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/issues").ToString());
        Assert.Equal(401, after!.Status);
        Assert.Equal(1, await page.Locator("#editor-email").CountAsync());

        var audit = await admin.GetFromJsonAsync<JsonObject>("/api/audit?actor=API%20key");
        Assert.Contains(audit!["entries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "Removed an editor"
            && e["detail"]!.GetValue<string>().StartsWith("bob@verdicts.example.com (1 sessions ended)", StringComparison.Ordinal));
        await page.Context.CloseAsync();
        await other.Context.CloseAsync();
    }

    [Fact]
    public async Task APreviewForNobodyInParticularGoesToTheEditorsAsKeptNow()
    {
        using var admin = fixture.App.CreateAdminClient();
        await DeliveryTestData.PublishAsync(admin, "preview-for-editors");
        (await admin.PostAsJsonAsync("/api/editors", new { email = "pat@verdicts.example.com", name = "Pat" })).EnsureSuccessStatusCode();
        var editors = (await admin.GetFromJsonAsync<JsonArray>("/api/editors"))!.Select(e => e!["email"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

        fixture.Sink.Clear();
        (await admin.PostAsync("/api/digests/preview", null)).EnsureSuccessStatusCode();
        var mails = await fixture.Sink.WaitForMessagesAsync(editors.Count);
        Assert.Equal(editors, mails.SelectMany(m => m.Recipients).Order(StringComparer.Ordinal));
        Assert.Contains("pat@verdicts.example.com", editors);

        // Removed: the next preview no longer goes to them.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/editors/pat@verdicts.example.com")).StatusCode);
        fixture.Sink.Clear();
        (await admin.PostAsync("/api/digests/preview", null)).EnsureSuccessStatusCode();
        var after = await fixture.Sink.WaitForMessagesAsync(editors.Count - 1);
        Assert.Equal(editors.Where(e => e != "pat@verdicts.example.com"), after.SelectMany(m => m.Recipients).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheEditorsApiAddsListsAndRemoves()
    {
        using var admin = fixture.App.CreateAdminClient();
        var invalid = await admin.PostAsJsonAsync("/api/editors", new { email = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull((await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["email"]);

        var created = await admin.PostAsJsonAsync("/api/editors", new { email = "Dana <DANA@verdicts.example.com>", name = "Dana" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("dana@verdicts.example.com", (await created.Content.ReadFromJsonAsync<JsonObject>())!["email"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/editors", new { email = "dana@verdicts.example.com" })).StatusCode);

        var list = await admin.GetFromJsonAsync<JsonArray>("/api/editors");
        Assert.Contains(list!, e => e!["email"]!.GetValue<string>() == "dana@verdicts.example.com" && e["name"]!.GetValue<string>() == "Dana");
        Assert.Contains(list!, e => e!["email"]!.GetValue<string>() == Ann && e["name"]!.GetValue<string>() == "Ann Editor");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/editors/dana@verdicts.example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/editors/dana@verdicts.example.com")).StatusCode);

        using var anonymous = fixture.App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/editors")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/audit")).StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonObject>("/api/audit?actor=API%20key&pageSize=500");
        var actions = audit!["entries"]!.AsArray().Select(e => (e!["action"]!.GetValue<string>(), e["detail"]?.GetValue<string>())).ToList();
        Assert.Contains(("Added an editor", "dana@verdicts.example.com"), actions);
        Assert.Contains(("Removed an editor", "dana@verdicts.example.com"), actions);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/audit?pageSize=0")).StatusCode);
    }

    [Fact]
    public async Task AnErasedReaderLeavesNoAddressInTheLogButTheErasureIsThere()
    {
        using var admin = fixture.App.CreateAdminClient();
        var reader = (await DeliveryTestData.AddReadersAsync(fixture.App, 1, prefix: "erased-reader"))[0];
        (await admin.GetAsync("/api/subscribers/export")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/subscribers/" + Uri.EscapeDataString(reader.Email))).StatusCode);

        var audit = await admin.GetStringAsync("/api/audit?pageSize=500");
        Assert.DoesNotContain(reader.Email, audit, StringComparison.OrdinalIgnoreCase);
        var entries = JsonNode.Parse(audit)!["entries"]!.AsArray();
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "Erased a subscriber" && e["actor"]!.GetValue<string>() == "API key");
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "Exported subscribers");
    }

    /// <summary>Asks for a link at the sign-in page as an editor does, and returns the link's path from the mail smtp-sink received.</summary>
    private async Task<string> AskForLinkAsync(string email)
    {
        var before = fixture.Sink.Messages().Count(m => m.Recipients.Contains(email));
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.BaseUrl, "/admin/signin").ToString());
        await page.FillAsync("#editor-email", email);
        await page.ClickAsync("#send-link");
        Assert.Contains("Check your inbox", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await page.Context.CloseAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var mails = fixture.Sink.Messages().Where(m => m.Recipients.Contains(email)).ToList();
            if (mails.Count > before)
            {
                var mail = mails[^1];
                Assert.Contains("/admin/signin/link?token=", mail.Text, StringComparison.Ordinal);
                var href = new HtmlParser().ParseDocument(mail.Html).QuerySelector("a.signin-link")!.GetAttribute("href")!;
                return new Uri(href).PathAndQuery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no sign-in mail to {email}");
            await Task.Delay(100);
        }
    }

    private async Task<IPage> SignedInAsync(string email)
    {
        var link = await AskForLinkAsync(email);
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.BaseUrl, link).ToString());
        await page.ClickAsync("#use-link");
        await page.WaitForSelectorAsync("nav.console-nav");
        return page;
    }
}

public sealed class EditorAccountsTests(EditorAccountsTestsBase.Fixture fixture)
    : EditorAccountsTestsBase(fixture), IClassFixture<EditorAccountsTestsBase.Fixture>;

/// <summary>The same on PostgreSQL (the link's conditional UPDATE, the removal's deletes, the log's filter).</summary>
public sealed class EditorAccountsOnPostgresTests(EditorAccountsOnPostgresTests.PostgresFixture fixture)
    : EditorAccountsTestsBase(fixture), IClassFixture<EditorAccountsOnPostgresTests.PostgresFixture>
{
    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);
}
