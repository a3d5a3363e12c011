using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.EditorConsole;

/// <summary>
/// The editors' draft of the next issue, driven from the console in Chromium: a note in Markdown, a
/// subject with placeholders, an order and a comparison held back; the preview and the mails that
/// reach smtp-sink carry them, and the held comparison goes with the next issue. Two editors saving
/// at once: the second is told and loses nothing.
/// </summary>
public sealed class DraftConsoleTests(DraftConsoleTests.Fixture fixture) : IClassFixture<DraftConsoleTests.Fixture>
{
    private const string Note = "Hello **readers**, a *short* week.\n\nRead [our method](https://verdicts.example.com/method) first. <b>Not bold</b>\n\n- one\n- two";

    public sealed class Fixture : IAsyncLifetime
    {
        public Browser Browser { get; } = new();

        public SmtpSink Sink { get; private set; } = null!;

        public NewsletterApp App { get; private set; } = null!;

        public Uri BaseUrl { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Sink = await SmtpSink.StartAsync();
            var settings = SmtpSettings(Sink.Port, 2);
            settings["Newsletter:Editors:0"] = "edna@example.com";
            App = new NewsletterApp(settings);
            BaseUrl = App.StartKestrel();
            await AddReadersAsync(App, 3);
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
    public async Task TheNoteSubjectOrderAndHoldBackReachTheMailsAndTheHeldOneGoesNext()
    {
        var admin = fixture.App.CreateAdminClient();
        await PublishAsync(admin, "draft-first", "First verdict");
        await PublishAsync(admin, "draft-held", "Held verdict");
        await PublishAsync(admin, "draft-lead", "Lead <verdict> & co");

        var page = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        await page.FillAsync("#subject", "Issue {number}: {title}");
        await page.FillAsync("#note", Note);
        await page.FillAsync("#pos-draft-lead", "0");
        await page.CheckAsync("#hold-draft-held");
        await page.ClickAsync("form.draft button[type=submit]");
        await page.WaitForSelectorAsync(".message");
        Assert.Equal("Draft saved. The preview shows it.", await page.InnerTextAsync(".message"));
        Assert.Equal("Issue {number}: {title}", await page.InputValueAsync("#subject"));
        Assert.Equal(Note, await page.InputValueAsync("#note"));
        Assert.True(await page.IsCheckedAsync("#hold-draft-held"));
        Assert.Equal("Issue 1: Lead <verdict> & co", await page.InnerTextAsync(".next-subject"));
        Assert.Equal(["Lead <verdict> & co", "First verdict"], await page.Locator(".next-comparisons li a").AllInnerTextsAsync());

        // The preview in the page shows the note (raw HTML as text) above the comparisons.
        var frame = page.FrameLocator("iframe.preview");
        await frame.Locator(".editor-note strong").WaitForAsync();
        Assert.Equal("readers", await frame.Locator(".editor-note strong").InnerTextAsync());
        Assert.Contains("<b>Not bold</b>", await frame.Locator(".editor-note").InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "next-draft-desktop");

        // A preview sent shows it too.
        await page.FillAsync("#to", "me@example.com");
        await page.ClickAsync("form.send-preview button");
        await page.WaitForSelectorAsync(".message");
        var preview = Assert.Single(await fixture.Sink.WaitForMessagesAsync(1));
        Assert.Equal("[Preview] Issue 1: Lead <verdict> & co", preview.Message.Subject);
        Assert.Matches(@"our\s+method\s+\(https://verdicts\.example\.com/method\)", preview.Text);
        fixture.Sink.Clear();

        // Send now: each reader's mail carries the note (HTML and text, the link tracked), the
        // subject, the order, and not the held comparison.
        await page.ClickAsync("details.confirm summary");
        await page.ClickAsync("form.send-now button");
        await page.WaitForURLAsync("**/admin/issues/1");
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        var mails = await fixture.Sink.WaitForMessagesAsync(3);
        Assert.Equal(3, mails.Count);
        foreach (var mail in mails)
        {
            Assert.Equal("Issue 1: Lead <verdict> & co", mail.Message.Subject);
            Assert.Contains("<strong>readers</strong>", mail.Html, StringComparison.Ordinal);
            Assert.Contains("&lt;b&gt;Not bold&lt;/b&gt;", mail.Html, StringComparison.Ordinal);
            Assert.Contains("<li>one</li>", mail.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("https://verdicts.example.com/method", mail.Html, StringComparison.Ordinal);
            Assert.Contains("Hello readers, a short week.", mail.Text, StringComparison.Ordinal);
            Assert.Contains("<b>Not bold</b>", mail.Text, StringComparison.Ordinal);
            Assert.Contains("- one", mail.Text, StringComparison.Ordinal);
            Assert.True(mail.Text.IndexOf("Hello readers", StringComparison.Ordinal) < mail.Text.IndexOf("Lead <verdict> & co", StringComparison.Ordinal), "the note comes above the comparisons");
            Assert.True(mail.Text.IndexOf("Lead <verdict> & co", StringComparison.Ordinal) < mail.Text.IndexOf("First verdict", StringComparison.Ordinal), "the editors' order");
            Assert.DoesNotContain("Held verdict", mail.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Held verdict", mail.Html, StringComparison.Ordinal);
        }

        // The note's link in the text part is "text (url)" through /r/, and /r/ leads to the target.
        var text = mails[0].Text;
        var tracked = System.Text.RegularExpressions.Regex.Match(text, @"our\s+method\s+\((\S+)\)").Groups[1].Value;
        Assert.Contains("/r/", tracked, StringComparison.Ordinal);
        Assert.Contains(tracked, mails[0].Html, StringComparison.Ordinal);
        using var visitor = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.BaseUrl };
        var redirect = await visitor.GetAsync(new Uri(tracked).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("https://verdicts.example.com/method", redirect.Headers.Location!.ToString());

        // The draft became the issue: it is empty again, and the held comparison goes next.
        var draft = await admin.GetFromJsonAsync<JsonElement>("/api/digests/next/draft");
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("note").ValueKind);
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("subject").ValueKind);
        Assert.Equal(0, draft.GetProperty("held").GetArrayLength());
        fixture.Sink.Clear();
        var second = await fixture.App.Services.GetRequiredService<IssueMaker>().MakeAsync("draft-tests-second", CancellationToken.None);
        fixture.App.Services.GetRequiredService<DeliveryEngine>().Wake();
        Assert.Equal(2, second.Issue!.Number);
        await WaitForIssueAsync(admin, 2, i => i.Status == "sent");
        var next = await fixture.Sink.WaitForMessagesAsync(3);
        Assert.All(next, m => Assert.Contains("Held verdict", m.Text, StringComparison.Ordinal));
        Assert.All(next, m => Assert.Equal("AI Tool Verdicts #2: Held verdict", m.Message.Subject));
    }

    [Fact]
    public async Task TwoEditorsSavingTheDraftAtOnceTheSecondIsToldAndKeepsWhatTheyWrote()
    {
        var first = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        var second = await ConsoleBrowser.SignedInAsync(fixture.Browser, fixture.BaseUrl);
        await first.FillAsync("#subject", "From the first editor");
        await second.FillAsync("#subject", "From the second editor");
        await second.FillAsync("#note", "The second editor's *note*");

        await first.ClickAsync("form.draft button[type=submit]");
        await first.WaitForSelectorAsync(".message");
        var response = await second.RunAndWaitForResponseAsync(() => second.ClickAsync("form.draft button[type=submit]"), r => r.Url.EndsWith("/admin/next/draft", StringComparison.Ordinal));
        await second.WaitForSelectorAsync(".draft-error");

        Assert.Equal(409, response.Status);
        Assert.Contains("The draft changed since you opened it", await second.InnerTextAsync(".draft-error"), StringComparison.Ordinal);
        Assert.Equal("From the first editor", await second.InputValueAsync("#subject"));
        Assert.Equal("From the second editor", await second.InnerTextAsync(".unsaved-subject"));
        Assert.Equal("The second editor's *note*", await second.InnerTextAsync(".unsaved-note"));
        await ConsoleBrowser.ScreenshotAsync(second, "next-draft-conflict-desktop");

        // Saving again from the page as it is now works: nothing stays locked.
        await second.FillAsync("#subject", "");
        await second.ClickAsync("form.draft button[type=submit]");
        await second.WaitForSelectorAsync(".message");
    }

    [Fact]
    public async Task TheApiNeedsTheVersionAndAnswers412Or409WhenTheDraftChanged()
    {
        var admin = fixture.App.CreateAdminClient();
        var read = await admin.GetAsync("/api/digests/next/draft");
        var etag = read.Headers.ETag!.Tag;

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.PutAsJsonAsync("/api/digests/next/draft", new { subject = "x" })).StatusCode);
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/digests/next/draft") { Content = JsonContent.Create(new { subject = "API {number}" }) };
        put.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        var saved = await admin.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.NotEqual(etag, saved.Headers.ETag!.Tag);

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/digests/next/draft") { Content = JsonContent.Create(new { subject = "lost?" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.SendAsync(stale)).StatusCode);
        var version = int.Parse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync("/api/digests/next/draft", new { subject = "lost?", version })).StatusCode);
        Assert.Equal("API {number}", (await admin.GetFromJsonAsync<JsonElement>("/api/digests/next/draft")).GetProperty("subject").GetString());

        // Bad input names each field and saves nothing.
        var current = (await admin.GetFromJsonAsync<JsonElement>("/api/digests/next/draft")).GetProperty("version").GetInt32();
        var bad = await admin.PutAsJsonAsync("/api/digests/next/draft", new
        {
            note = "![pixel](https://tracker.example/p.gif) and [run](javascript:alert(1))",
            subject = "{name}: hi\r\nBcc: x@example.com",
            held = new List<string> { "no-such-comparison" },
            version = current,
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(2, errors.GetProperty("note").GetArrayLength());
        Assert.Contains("image", errors.GetProperty("note")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("javascript:alert(1)", errors.GetProperty("note")[1].GetString(), StringComparison.Ordinal);
        Assert.Equal(2, errors.GetProperty("subject").GetArrayLength());
        Assert.Contains("no-such-comparison", errors.GetProperty("held[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(current, (await admin.GetFromJsonAsync<JsonElement>("/api/digests/next/draft")).GetProperty("version").GetInt32());
    }
}
