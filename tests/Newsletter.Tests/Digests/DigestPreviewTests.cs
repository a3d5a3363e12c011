using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Mail;
using Newsletter.Digests;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Digests;

/// <summary>
/// The preview endpoints and the preview mail through a real SMTP server. The lead comparison's
/// title is hostile and international at once, so the subject header is checked on both counts.
/// </summary>
public class DigestPreviewTests(DigestPreviewTests.Fixture fixture) : IClassFixture<DigestPreviewTests.Fixture>
{
    public const string LeadTitle = "Grüße 🚀 مرحبا 日本語 <b>&amp;</b> \"q\"\r\nBcc: evil@example.com";

    public class Fixture : IAsyncLifetime
    {
        private readonly DatabaseProvider _provider;

        public Fixture()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected Fixture(DatabaseProvider provider)
        {
            _provider = provider;
        }

        public SmtpSink Sink { get; private set; } = null!;

        public DigestTestApp App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Sink = await SmtpSink.StartAsync();
            App = new DigestTestApp(new Dictionary<string, string?>
            {
                ["Smtp:Host"] = Sink.Host,
                ["Smtp:Port"] = Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Smtp:Security"] = "None",
                ["Newsletter:Editors:0"] = "Edna Editor <edna@example.com>",
                ["Newsletter:Editors:1"] = "ed@example.org",
            }, _provider);
            var now = DigestTestApp.Start;
            await App.PutAsync("hostile-lead", now - TimeSpan.FromDays(2), LeadTitle);
            await App.PutAsync("second", now - TimeSpan.FromDays(1), "Second comparison");
        }

        public async Task DisposeAsync()
        {
            App.Dispose();
            await Sink.DisposeAsync();
        }
    }

    private DigestTestApp App => fixture.App;

    private SmtpSink Sink => fixture.Sink;

    private static string ExpectedSubject => "AI Tool Verdicts #1: " + MailFactory.HeaderText(LeadTitle) + " + 1 more";

    [Fact]
    public async Task PreviewPageIsTheDigestAsAReaderGetsIt()
    {
        using var client = App.CreateAdminClient();

        var html = await client.GetAsync("/api/digests/next/preview");
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await html.Content.ReadAsStringAsync());
        Assert.Equal(LeadTitle.Replace("\r\n", "\n", StringComparison.Ordinal), doc.QuerySelector("a.title")!.TextContent);
        Assert.Equal("Hi Editor,", doc.QuerySelector(".greeting")!.TextContent);
        Assert.Equal("https://verdicts.example.com/unsubscribe?token=preview", doc.QuerySelector("a.unsubscribe")!.GetAttribute("href"));

        var text = await client.GetAsync("/api/digests/next/preview?format=text");
        Assert.Equal("text/plain", text.Content.Headers.ContentType?.MediaType);
        var body = await text.Content.ReadAsStringAsync();
        Assert.Contains("1. " + LeadTitle, body, StringComparison.Ordinal);
        Assert.Contains("Hi Editor,", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewNeedsTheKeyOrTheSessionCookie()
    {
        using var anonymous = App.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/digests/next/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/digests/preview", new PreviewRequest(["x@example.com"]))).StatusCode);

        using var wrongCookie = App.CreateClient();
        wrongCookie.DefaultRequestHeaders.Add("Cookie", "newsletter_admin=00");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongCookie.GetAsync("/api/digests/next/preview")).StatusCode);
    }

    [Fact]
    public async Task PreviewGoesToTheEditorsWithAPrefixedOneLineSubjectAndChangesNothing()
    {
        using var client = App.CreateAdminClient();
        var before = await client.GetStringAsync("/api/digests/next");
        Sink.Clear();

        var response = await client.PostAsync("/api/digests/preview", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mails = await Sink.WaitForMessagesAsync(2);
        Assert.Equal(["ed@example.org", "edna@example.com"], mails.SelectMany(m => m.Recipients).Order(StringComparer.Ordinal));
        foreach (var mail in mails)
        {
            // The hostile title folded into the one subject line: no header of its own, no extra recipient.
            Assert.Equal("[Preview] " + ExpectedSubject, mail.Message.Subject);
            Assert.DoesNotContain(mail.Message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
            Assert.Single(mail.Recipients);
            Assert.Single(mail.Message.To.Mailboxes);

            // Unicode and markup survive SMTP in both parts.
            Assert.Contains("1. " + LeadTitle.Replace("\r\n", "\n", StringComparison.Ordinal), mail.Text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
            var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(mail.Html);
            Assert.Equal(LeadTitle.Replace("\r\n", "\n", StringComparison.Ordinal), doc.QuerySelector("a.title")!.TextContent);
            Assert.Equal("<https://verdicts.example.com/unsubscribe?token=preview>, <mailto:digest@verdicts.example.com?subject=unsubscribe%20preview>", mail.Message.Headers["List-Unsubscribe"]);
        }

        Assert.Equal("Hi Edna Editor,", new AngleSharp.Html.Parser.HtmlParser().ParseDocument(mails.Single(m => m.Recipients[0] == "edna@example.com").Html).QuerySelector(".greeting")!.TextContent);

        // A preview makes no issue, no delivery, no token: the next digest is what it was.
        Assert.Equal(before, await client.GetStringAsync("/api/digests/next"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Issues.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.Deliveries.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.Subscribers.CountAsync()));
    }

    [Fact]
    public async Task PreviewGoesToAnyGivenAddress()
    {
        using var client = App.CreateAdminClient();
        Sink.Clear();

        var response = await client.PostAsJsonAsync("/api/digests/preview", new PreviewRequest(["guest@elsewhere.example"]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["guest@elsewhere.example"], sent.GetProperty("sentTo").EnumerateArray().Select(e => e.GetString()));
        var mail = Assert.Single(await Sink.WaitForMessagesAsync(1));
        Assert.Equal(["guest@elsewhere.example"], mail.Recipients);
        Assert.StartsWith("[Preview] AI Tool Verdicts #1: ", mail.Message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidAddressesGet400NamingEachAndNothingIsSent()
    {
        using var client = App.CreateAdminClient();
        Sink.Clear();

        var response = await client.PostAsJsonAsync("/api/digests/preview", new PreviewRequest(["ok@example.com", "not an address", "x@example.com\r\nBcc: evil@example.com"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["to[1]", "to[2]"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // A marker preview sent after it proves the pipe is empty: it arrives alone.
        (await client.PostAsJsonAsync("/api/digests/preview", new PreviewRequest(["marker@example.com"]))).EnsureSuccessStatusCode();
        var arrived = Assert.Single(await Sink.WaitForMessagesAsync(1));
        Assert.Equal(["marker@example.com"], arrived.Recipients);
        Assert.Single(Sink.Messages());
    }
}

/// <summary>The same previews on PostgreSQL: the hostile title stored and read back there.</summary>
public sealed class DigestPreviewOnPostgresTests(DigestPreviewOnPostgresTests.PostgresFixture fixture)
    : DigestPreviewTests(fixture), IClassFixture<DigestPreviewOnPostgresTests.PostgresFixture>
{
    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);
}
