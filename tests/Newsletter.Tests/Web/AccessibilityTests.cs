using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Newsletter.Subscribers;
using Newsletter.Tests.EditorConsole;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Web;

/// <summary>
/// Every page the product serves passes axe-core's WCAG 2.2 AA rules in Chromium, with real content:
/// a published comparison, confirmed readers, issue #1 really sent through smtp-sink (so the archive,
/// the web version, the vote links exist), signups whose confirmation mails hold real links.
/// </summary>
/// <remarks>
/// To add a page: add a line to <see cref="Pages"/> (a label, the route pattern it is mapped under, the
/// path to open, with {placeholders} from <see cref="Site.Values"/>, and a form body if the page answers
/// a POST). <see cref="EveryHtmlGetRouteIsChecked"/> fails until a new GET route is in the list or in
/// <see cref="NotPages"/> with its reason.
/// </remarks>
[TestCaseOrderer("Newsletter.Tests.Web.RateLimitedLast", "Newsletter.Tests")]
public sealed class AccessibilityTests(AccessibilityTests.Site site) : IClassFixture<AccessibilityTests.Site>
{
    /// <summary>A page: what it is, the route that serves it, how to reach it (a GET, or a POST with this form body).</summary>
    public sealed record Page(string Label, string Route, string Path, string? Post = null, bool Console = false, int Status = 200);

    /// <summary>The label of the page that exhausts the signup rate limit: run last (see <see cref="RateLimitedLast"/>).</summary>
    public const string TooManyAttempts = "signup: too many attempts (429)";

    public static readonly Page[] Pages =
    [
        // The public pages a reader sees.
        new("signup form", "/", "/"),
        new("signup: check your inbox", "/subscribe", "/subscribe", "email=axe-new%40example.com&name=New+Reader"),
        new("signup: form with an error", "/subscribe", "/subscribe", "email=not-an-address", Status: 400),
        new(TooManyAttempts, "/subscribe", "/subscribe", "email=axe-limit%40example.com", Status: 429),
        new("confirm: the button", "/confirm", "/confirm?token={confirm-button}"),
        new("confirm: subscribed (after the button)", "/confirm", "/confirm?token={confirm}", ""),
        new("confirm: link expired", "/confirm", "/confirm?token={expired}", Status: 410),
        new("confirm: link not valid", "/confirm", "/confirm?token=not-a-token", Status: 404),
        new("unsubscribe: the question", "/unsubscribe", "/unsubscribe?token={reader}"),
        new("unsubscribe: done (after the button)", "/unsubscribe", "/unsubscribe?token={leaving}", ""),
        new("unsubscribe: already unsubscribed", "/unsubscribe", "/unsubscribe?token={gone}"),
        new("unsubscribe: link not valid", "/unsubscribe", "/unsubscribe?token=not-a-token", Status: 404),
        new("preferences: the choices", "/preferences", "/preferences?token={reader}"),
        new("preferences: saved (after the button)", "/preferences", "/preferences?token={chooser}", "topic=developer+tools&frequency=monthly&name=Axe+Reader"),
        new("preferences: form with an error", "/preferences", "/preferences?token={chooser}", "frequency=yearly", Status: 400),
        new("preferences: link not valid", "/preferences", "/preferences?token=not-a-token", Status: 404),
        new("preferences: data link mailed (after the button)", "/preferences/export", "/preferences/export?token={chooser}", ""),
        new("my data: download, its one button", "/my-data/export", "/my-data/export?token={data-export}"),
        new("my data: erase, its one button", "/my-data/erase", "/my-data/erase?token={data-erase}"),
        new("my data: erased (after the button)", "/my-data/erase", "/my-data/erase?token={data-erased}", ""),
        new("my data: link not valid", "/my-data/export", "/my-data/export?token=not-a-token", Status: 404),
        new("vote: the choice", "/vote", "{vote}"),
        new("vote: recorded", "/vote", "{vote}", "choice=ship"),
        new("vote: only subscribers", "/vote", "{vote-gone}", Status: 403),
        new("vote: link not valid", "/vote", "/vote?token=not-a-token", Status: 404),
        new("archive: all issues", "/issues", "/issues"),
        new("archive: the issue's web version", "/issues/{number:int}", "/issues/1"),
        new("archive: no such issue", "/issues/{number:int}", "/issues/99", Status: 404),
        new("error: request too large (413)", "/subscribe", "/subscribe", "{too-large}", Status: 413),

        // The editors' console.
        new("console: sign-in", "/admin/signin", "/admin/signin"),
        new("console: sign-in shown for a console page", "/admin/", "/admin/issues", Status: 401),
        new("console: sign-in link asked for", "/admin/signin/mail", "/admin/signin/mail", "email=axe-editor%40example.com"),
        new("console: sign-in link, its one button", "/admin/signin/link", "/admin/signin/link?token={signin}"),
        new("console: sign-in link not valid", "/admin/signin/link", "/admin/signin/link?token=not-a-token", Status: 404),
        new("console: next digest and preview", "/admin/", "/admin/", Console: true),
        new("console: the preview's document (the page's iframe)", "/api/digests/next/preview", "/api/digests/next/preview", Console: true),
        new("console: preview sent", "/admin/", "/admin/?sent=editor%40example.com", Console: true),
        new("console: draft saved", "/admin/", "/admin/?saved=1", Console: true),
        new("console: issues", "/admin/issues", "/admin/issues", Console: true),
        new("console: an issue", "/admin/issues/{number:int}", "/admin/issues/1", Console: true),
        new("console: no such issue", "/admin/issues/{number:int}", "/admin/issues/99", Console: true, Status: 404),
        new("console: subscribers", "/admin/subscribers", "/admin/subscribers", Console: true),
        new("console: subscribers searched", "/admin/subscribers", "/admin/subscribers?q=reader&status=confirmed", Console: true),
        new("console: a reader", "/admin/subscribers/{id:long}", "/admin/subscribers/{reader-id}", Console: true),
        new("console: an unsubscribed reader", "/admin/subscribers/{id:long}", "/admin/subscribers/{gone-id}", Console: true),
        new("console: no such reader", "/admin/subscribers/{id:long}", "/admin/subscribers/999999", Console: true, Status: 404),
        new("console: import result", "/admin/subscribers/import", "/admin/subscribers", "{import}", Console: true),
        new("console: comparisons", "/admin/comparisons", "/admin/comparisons", Console: true),
        new("console: sending setup", "/admin/setup", "/admin/setup", Console: true),
        new("console: editors", "/admin/editors", "/admin/editors", Console: true),
        new("console: audit log", "/admin/audit", "/admin/audit", Console: true),
        new("console: admin API", "/admin/api", "/admin/api", Console: true),
    ];

    /// <summary>GET routes that are not pages, each with why.</summary>
    public static readonly Dictionary<string, string> NotPages = new()
    {
        ["/health"] = "JSON for monitors",
        ["/metrics"] = "Prometheus text",
        ["/r/{token}"] = "a redirect to the tracked link",
        ["/issues/feed.atom"] = "the archive's Atom feed (XML)",
        ["/openapi/{documentName}.json"] = "the OpenAPI document (JSON)",
        ["/admin/api/reference/openapi/{documentName}.json"] = "the OpenAPI document (JSON) for the reference page",
        // Scalar's own page (the package's HTML and script, not our template): axe finds a combobox
        // without aria-expanded in its key input and low contrast in its theme. Not fixable from our
        // templates; it stays out until Scalar fixes it or the page is replaced. Our /admin/api page is checked.
        ["/admin/api/reference/{documentName?}"] = "Scalar's interactive reference: third-party HTML, fails axe upstream (see the comment)",
        ["/admin/api/reference/scalar.js"] = "the reference page's script",
        ["/admin/api/reference/scalar.aspnetcore.js"] = "the reference page's script",
        ["/admin/api/reference/favicon.svg"] = "the reference page's icon",
    };

    /// <summary>Prefixes of routes that are not pages: the admin and public JSON APIs.</summary>
    public static readonly string[] NotPagePrefixes = ["/api/"];

    public static TheoryData<string, string> Labels()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in Pages)
        {
            data.Add(page.Label, page.Path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Labels))]
    public async Task PagePassesAxe(string label, string path)
    {
        var entry = Pages.Single(p => p.Label == label);
        var page = entry.Console ? await site.SignedInPageAsync() : await site.Browser.NewPageAsync();
        try
        {
            var url = new Uri(site.BaseUrl, site.Resolve(path)).ToString();
            var response = entry.Post switch
            {
                null => await page.GotoAsync(url),
                "{import}" => await ImportAsync(page, url),
                "{too-large}" => await PostAsync(page, url, TooLarge(), "application/x-www-form-urlencoded"),
                _ when label == TooManyAttempts => await UntilLimitedAsync(page, url, entry.Post),
                _ => await PostAsync(page, url, Encoding.UTF8.GetBytes(entry.Post), "application/x-www-form-urlencoded"),
            };
            Assert.NotNull(response);
            Assert.True(entry.Status == response.Status, $"{label}: expected {entry.Status}, got {response.Status} at {page.Url}");
            Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(await page.InnerTextAsync("body")), $"{label}: the page is empty");

            // Frames are checked as pages of their own (see AxeCheck).
            await AxeCheck.AssertPassesAsync(page, $"{label} ({path} → {page.Url}, {response.Status})");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A new page cannot be forgotten: every GET route outside the APIs is in <see cref="Pages"/> or <see cref="NotPages"/>.</summary>
    [Fact]
    public void EveryHtmlGetRouteIsChecked()
    {
        var routes = site.App.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            // No method metadata: the route answers every method, GET too (/metrics).
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
            .Select(e => Normal(e.RoutePattern))
            .Distinct()
            .ToList();
        var covered = Pages.Select(p => p.Route).Concat(NotPages.Keys).ToHashSet(StringComparer.Ordinal);

        var missing = routes
            .Where(r => !NotPagePrefixes.Any(p => r.StartsWith(p, StringComparison.Ordinal)) && !covered.Contains(r))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0,
            "GET routes neither checked with axe nor listed as not a page (add them to AccessibilityTests.Pages or NotPages): " + string.Join(", ", missing));

        // The lists name no route that is gone (a renamed page would be checked under its old name only in the list).
        var stale = Pages.Where(p => p.Post is null).Select(p => p.Route).Concat(NotPages.Keys).Distinct()
            .Where(r => !routes.Contains(r)).ToList();
        Assert.True(stale.Count == 0, "Listed GET routes the app does not map: " + string.Join(", ", stale));
    }

    private static string Normal(RoutePattern pattern) => "/" + (pattern.RawText ?? "").TrimStart('/');

    /// <summary>The browser navigates, and the request goes out as a POST with this body (what a form or a mail client posts).</summary>
    private static async Task<IResponse?> PostAsync(IPage page, string url, byte[] body, string contentType)
    {
        await page.RouteAsync(url, route => route.ContinueAsync(new RouteContinueOptions
        {
            Method = "POST",
            PostData = body,
            Headers = new Dictionary<string, string>(route.Request.Headers) { ["content-type"] = contentType },
        }));
        try
        {
            // A large body goes through Playwright's pipe: more than the default 30 s on a loaded machine.
            return await page.GotoAsync(url, new PageGotoOptions { Timeout = 180_000 });
        }
        finally
        {
            await page.UnrouteAllAsync();
        }
    }

    /// <summary>Signups from one address until the limit answers (the window is a minute: this page runs last).</summary>
    private static async Task<IResponse?> UntilLimitedAsync(IPage page, string url, string body)
    {
        for (var i = 0; i < 20; i++)
        {
            var response = await PostAsync(page, url, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded");
            if (response?.Status == 429)
            {
                return response;
            }
        }

        throw new InvalidOperationException("20 signups and no 429");
    }

    /// <summary>The console's CSV upload, as an editor does it: choose the file, press Import.</summary>
    private static async Task<IResponse?> ImportAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.SetInputFilesAsync("form.import input[type=file]", new FilePayload
        {
            Name = "readers.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("email,name\nimported1@example.com,Imported One\nnot-an-address,Broken\n"),
        });
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("form.import button[type=submit]"), r => r.Url.EndsWith("/admin/subscribers/import", StringComparison.Ordinal));
        await page.WaitForLoadStateAsync();
        return response;
    }

    /// <summary>
    /// A form over the urlencoded limit: the 413 page (the same page a multipart body over the
    /// server's 30 MB answers, from the same handler; a megabyte is quicker to send than 31).
    /// </summary>
    private static byte[] TooLarge()
    {
        var body = new byte[Newsletter.Web.FormBodies.UrlEncodedLimit + 1];
        Array.Fill(body, (byte)'a');
        "email="u8.CopyTo(body);
        return body;
    }

    /// <summary>The app with its data, smtp-sink and Chromium, once for the class.</summary>
    public sealed class Site : IAsyncLifetime
    {
        public Browser Browser { get; } = new();

        public SmtpSink Sink { get; private set; } = null!;

        public NewsletterApp App { get; private set; } = null!;

        public Uri BaseUrl { get; private set; } = null!;

        /// <summary>What the {placeholders} of <see cref="Pages"/> stand for.</summary>
        public Dictionary<string, string> Values { get; } = [];

        private string? _session;

        /// <summary>
        /// A page whose browser context carries the console's session cookie: the class signs in
        /// through the form once (ConsoleBrowser) and every console page starts from that state.
        /// </summary>
        public async Task<IPage> SignedInPageAsync()
        {
            if (_session is null)
            {
                var signedIn = await ConsoleBrowser.SignedInAsync(Browser, BaseUrl);
                _session = await signedIn.Context.StorageStateAsync();
                await signedIn.Context.CloseAsync();
            }

            var context = await Browser.Chromium.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = ConsoleBrowser.DesktopWidth, Height = 900 },
                StorageState = _session,
            });
            return await context.NewPageAsync();
        }

        public string Resolve(string path)
        {
            foreach (var (key, value) in Values)
            {
                path = path.Replace("{" + key + "}", value, StringComparison.Ordinal);
            }

            return path;
        }

        public async Task InitializeAsync()
        {
            Sink = await SmtpSink.StartAsync();
            var settings = SmtpSettings(Sink.Port);
            settings["Subscribers:SignupsPerMinutePerIp"] = "5";
            App = new NewsletterApp(settings);
            BaseUrl = App.StartKestrel();
            using var admin = App.CreateAdminClient();

            var readers = await AddReadersAsync(App, 4);
            await PublishAsync(admin, SampleComparisons.Slug, "Mistral 4B Edge vs Modal GPU Serverless Inference");
            (await admin.PostAsync(new Uri("/api/digests/send", UriKind.Relative), null)).EnsureSuccessStatusCode();
            await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
            await Sink.WaitForMessagesAsync(readers.Count);

            Values["reader"] = readers[0].Token;
            Values["reader-id"] = readers[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Values["leaving"] = readers[1].Token;
            Values["chooser"] = readers[3].Token;
            Values["vote"] = Local(VoteLink(readers[0]));

            // A reader who voted once and left since: their vote link is refused, their token shows "already unsubscribed".
            Values["vote-gone"] = Local(VoteLink(readers[2]));
            using var client = new HttpClient { BaseAddress = BaseUrl };
            (await client.PostAsync(new Uri("/unsubscribe?token=" + readers[2].Token, UriKind.Relative), null)).EnsureSuccessStatusCode();
            Values["gone"] = readers[2].Token;
            Values["gone-id"] = readers[2].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

            // Two signups with real confirmation links; one of them is made to have expired.
            foreach (var email in new[] { "axe-confirm@example.com", "axe-expired@example.com" })
            {
                (await client.PostAsync(new Uri("/subscribe", UriKind.Relative), new FormUrlEncodedContent([new("email", email)]))).EnsureSuccessStatusCode();
            }

            await Sink.WaitForMessagesAsync(readers.Count + 2);
            Values["confirm-button"] = ConfirmToken("axe-confirm@example.com");
            Values["expired"] = ConfirmToken("axe-expired@example.com");

            // The page after the button needs a link of its own (the button page's must stay unused):
            // a pending reader whose link is made here, as the confirmation mailer makes one (a third
            // signup would spend the signup limit the 413 and 429 pages count on).
            var token = SubscriberTokens.New();
            await App.WithDbAsync(async db =>
            {
                db.Subscribers.Add(new Subscriber
                {
                    Email = "axe-confirmed@example.com",
                    EmailKey = "axe-confirmed@example.com",
                    Status = SubscriberStatus.Pending,
                    CreatedAt = DateTimeOffset.UtcNow,
                    UnsubscribeToken = SubscriberTokens.New(),
                    ConfirmTokenHash = SubscriberTokens.Hash(token),
                    ConfirmTokenExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
                });
                return await db.SaveChangesAsync();
            });
            Values["confirm"] = token;

            // One-time data links as the data link mailer makes them (only their hashes stored); the
            // erased page's reader is one of its own, so erasing them takes nobody another page needs.
            Values["data-export"] = await DataLinkAsync(readers[0].Id, Newsletter.Subscribers.Preferences.DataRequestPurpose.Export);
            Values["data-erase"] = await DataLinkAsync(readers[0].Id, Newsletter.Subscribers.Preferences.DataRequestPurpose.Erase);
            var erased = new Subscriber
            {
                Email = "axe-erased@example.com",
                EmailKey = "axe-erased@example.com",
                Status = SubscriberStatus.Confirmed,
                CreatedAt = DateTimeOffset.UtcNow,
                UnsubscribeToken = SubscriberTokens.New(),
            };
            await App.WithDbAsync(async db =>
            {
                db.Subscribers.Add(erased);
                return await db.SaveChangesAsync();
            });
            Values["data-erased"] = await DataLinkAsync(erased.Id, Newsletter.Subscribers.Preferences.DataRequestPurpose.Erase);
            await App.WithDbAsync(db => db.Subscribers.Where(s => s.Email == "axe-expired@example.com")
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.ConfirmTokenExpiresAt, DateTimeOffset.UtcNow.AddDays(-1))));

            // An editor with a real sign-in link (its page shows one button and uses nothing).
            (await admin.PostAsync(new Uri("/api/editors", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new { email = "axe-editor@example.com" }))).EnsureSuccessStatusCode();
            (await client.PostAsync(new Uri("/admin/signin/mail", UriKind.Relative), new FormUrlEncodedContent([new("email", "axe-editor@example.com")]))).EnsureSuccessStatusCode();
            await Sink.WaitForMessagesAsync(readers.Count + 3);
            var signin = new HtmlParser().ParseDocument(Sink.Messages().Single(m => m.Recipients.Contains("axe-editor@example.com")).Html)
                .QuerySelector("a.signin-link")!.GetAttribute("href")!;
            Values["signin"] = signin[(signin.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

            await Browser.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            App.Dispose();
            await Sink.DisposeAsync();
        }

        private async Task<string> DataLinkAsync(long subscriberId, Newsletter.Subscribers.Preferences.DataRequestPurpose purpose)
        {
            var token = SubscriberTokens.New();
            await App.WithDbAsync(async db =>
            {
                db.Add(new Newsletter.Subscribers.Preferences.ReaderDataRequest
                {
                    SubscriberId = subscriberId,
                    Purpose = purpose,
                    RequestedAt = DateTimeOffset.UtcNow,
                    TokenHash = SubscriberTokens.Hash(token),
                    ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
                });
                return await db.SaveChangesAsync();
            });
            return token;
        }

        private string VoteLink(Reader reader)
        {
            var mail = Sink.Messages().Single(m => m.Recipients.Contains(reader.Email));
            return new HtmlParser().ParseDocument(mail.Html).QuerySelector("a.vote-ship")!.GetAttribute("href")!;
        }

        private string ConfirmToken(string email)
        {
            var mail = Sink.Messages().Single(m => m.Recipients.Contains(email));
            var link = new HtmlParser().ParseDocument(mail.Html).QuerySelectorAll("a").Select(a => a.GetAttribute("href")!).First(h => h.Contains("/confirm?token=", StringComparison.Ordinal));
            return link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];
        }

        /// <summary>A link from a mail (to the public address), as a path on this app.</summary>
        private static string Local(string link) => new Uri(link).PathAndQuery;
    }
}

/// <summary>Runs the page that exhausts the signup rate limit after the pages that sign up.</summary>
public sealed class RateLimitedLast : Xunit.Sdk.ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : Xunit.Abstractions.ITestCase =>
        testCases.OrderBy(t => t.DisplayName.Contains(AccessibilityTests.TooManyAttempts, StringComparison.Ordinal));
}
