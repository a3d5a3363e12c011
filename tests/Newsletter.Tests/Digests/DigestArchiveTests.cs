using System.Globalization;
using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.Tests.Digests;

/// <summary>GET /issues and /issues/{number}: the web version, public once the send started, with no personal links.</summary>
public class DigestArchiveTests(DigestArchiveTests.App app) : IClassFixture<DigestArchiveTests.App>, IAsyncLifetime
{
    public class App : DigestTestApp
    {
        public App()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected App(DatabaseProvider provider)
            : base(null, provider)
        {
        }
    }

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ArchiveListsIssuesThatWentOutAndShowsEachWithoutPersonalLinks()
    {
        await app.PutAsync("first", app.Clock.GetUtcNow() - TimeSpan.FromDays(1), "First <i>issue</i> lead");
        await app.MakeIssueAsync("slot-1", sent: true);
        await app.PutAsync("queued", app.Clock.GetUtcNow(), "Not out yet");
        await app.MakeIssueAsync("slot-2");
        using var client = app.CreateClient();

        var list = new HtmlParser().ParseDocument(await client.GetStringAsync("/issues"));
        var item = Assert.Single(list.QuerySelectorAll("li.issue"));
        Assert.Equal("/issues/1", item.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("AI Tool Verdicts #1: First <i>issue</i> lead", item.TextContent, StringComparison.Ordinal);

        var response = await client.GetAsync("/issues/1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var doc = new HtmlParser().ParseDocument(html);
        Assert.Equal("First <i>issue</i> lead", doc.QuerySelector("a.title")!.TextContent);
        Assert.Contains("You are reading the web version", doc.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("unsubscribe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", html, StringComparison.OrdinalIgnoreCase);
        Assert.Null(doc.QuerySelector(".greeting"));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/issues/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/issues/99")).StatusCode);
    }

    [Fact]
    public async Task FeedIsAtomWithWhatTheRfcRequiresAndEachEntryLinksToItsWebVersion()
    {
        await app.PutAsync("feed-first", app.Clock.GetUtcNow() - TimeSpan.FromDays(2), "First <b>feed</b> lead");
        await app.MakeIssueAsync("slot-1", sent: true);
        app.Clock.Advance(TimeSpan.FromDays(7));
        await app.PutAsync("feed-second", app.Clock.GetUtcNow() - TimeSpan.FromDays(1), "Second feed lead");
        await app.MakeIssueAsync("slot-2", sent: true);
        await app.PutAsync("feed-queued", app.Clock.GetUtcNow(), "Not out yet");
        await app.MakeIssueAsync("slot-3");
        using var client = app.CreateClient();

        var response = await client.GetAsync(ArchiveFeed.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

        // RFC 4287 4.1.1: atom:feed has one id, title and updated, an author (its entries have none), a self link.
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal("https://verdicts.example.com/issues", One(feed, "id"));
        Assert.Equal("AI Tool Verdicts", One(feed, "title"));
        var updated = DateTimeOffset.Parse(One(feed, "updated"), CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(feed.Element(Atom + "author")?.Element(Atom + "name")?.Value));
        Assert.Equal("https://verdicts.example.com/issues/feed.atom", Link(feed, "self"));
        Assert.Equal("https://verdicts.example.com/issues", Link(feed, "alternate"));

        // RFC 4287 4.1.2: each atom:entry has one id, title and updated, and a link to the web version as its content.
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(["AI Tool Verdicts #2: Second feed lead", "AI Tool Verdicts #1: First <b>feed</b> lead"], entries.Select(e => One(e, "title")));
        Assert.Equal(entries.Max(e => DateTimeOffset.Parse(One(e, "updated"), CultureInfo.InvariantCulture)), updated);
        foreach (var entry in entries)
        {
            var link = Link(entry, "alternate")!;
            Assert.Equal(link, One(entry, "id"));
            Assert.StartsWith("https://verdicts.example.com/issues/", link, StringComparison.Ordinal);
            var content = entry.Element(Atom + "content")!;
            Assert.Equal("html", content.Attribute("type")!.Value);

            var web = await client.GetAsync(new Uri(link).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, web.StatusCode);
            Assert.Equal(await web.Content.ReadAsStringAsync(), content.Value);
            Assert.DoesNotContain("unsubscribe", content.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("token", content.Value, StringComparison.OrdinalIgnoreCase);
        }

        // The archive pages name the feed for feed readers.
        foreach (var page in new[] { "/issues", "/issues/1" })
        {
            var head = new HtmlParser().ParseDocument(await client.GetStringAsync(page)).Head!;
            Assert.Equal("https://verdicts.example.com/issues/feed.atom", head.QuerySelector("link[rel=alternate][type='application/atom+xml']")?.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task FeedAnswersAConditionalGetWith304UntilAnIssueGoesOut()
    {
        await app.PutAsync("conditional", app.Clock.GetUtcNow() - TimeSpan.FromDays(1));
        await app.MakeIssueAsync("slot-1", sent: true);
        using var client = app.CreateClient();

        var first = await client.GetAsync(ArchiveFeed.Path);
        var etag = first.Headers.ETag!;
        var lastModified = first.Content.Headers.LastModified!.Value;

        var byTag = new HttpRequestMessage(HttpMethod.Get, ArchiveFeed.Path);
        byTag.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        var byDate = new HttpRequestMessage(HttpMethod.Get, ArchiveFeed.Path);
        byDate.Headers.IfModifiedSince = lastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(byDate)).StatusCode);

        // A new issue changes the feed: the old validators get the whole feed again.
        app.Clock.Advance(TimeSpan.FromDays(7));
        await app.PutAsync("conditional-next", app.Clock.GetUtcNow() - TimeSpan.FromDays(1));
        await app.MakeIssueAsync("slot-2", sent: true);
        var stale = new HttpRequestMessage(HttpMethod.Get, ArchiveFeed.Path);
        stale.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(2, XDocument.Parse(await changed.Content.ReadAsStringAsync()).Root!.Elements(Atom + "entry").Count());
        var staleDate = new HttpRequestMessage(HttpMethod.Get, ArchiveFeed.Path);
        staleDate.Headers.IfModifiedSince = lastModified;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(staleDate)).StatusCode);
    }

    [Fact]
    public async Task FeedBeforeTheFirstIssueIsValidAndEmpty()
    {
        using var client = app.CreateClient();

        var feed = XDocument.Parse(await client.GetStringAsync(ArchiveFeed.Path)).Root!;

        Assert.Equal(Atom + "feed", feed.Name);
        Assert.NotNull(One(feed, "id"));
        Assert.NotNull(One(feed, "updated"));
        Assert.Empty(feed.Elements(Atom + "entry"));
    }

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>The text of the one child element of that name (RFC 4287: "MUST contain exactly one").</summary>
    private static string One(XElement parent, string name) => Assert.Single(parent.Elements(Atom + name)).Value;

    private static string? Link(XElement parent, string rel) =>
        parent.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href")?.Value;

    [Fact]
    public async Task IssueIsPublicFromTheMomentItsSendStarts()
    {
        await app.PutAsync("sending", app.Clock.GetUtcNow() - TimeSpan.FromDays(1));
        var issue = await app.MakeIssueAsync("slot-1");
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/issues/{issue!.Number}")).StatusCode);

        await app.WithDbAsync(db => db.Issues.ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, Newsletter.Digests.DigestIssueStatus.Sending)));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/issues/{issue.Number}")).StatusCode);
    }

    [Fact]
    public async Task WebVersionShowsWhatWentOutEvenAfterTheComparisonIsEdited()
    {
        await app.PutAsync("edited-later", app.Clock.GetUtcNow() - TimeSpan.FromDays(1), "Title as sent");
        await app.MakeIssueAsync("slot-1", sent: true);
        await app.PutAsync("edited-later", app.Clock.GetUtcNow() - TimeSpan.FromDays(1), "Title fixed afterwards");
        using var client = app.CreateClient();

        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync("/issues/1"));

        Assert.Equal("Title as sent", doc.QuerySelector("a.title")!.TextContent);
    }

    [Fact]
    public async Task EmptyArchiveSaysSo()
    {
        using var client = app.CreateClient();
        var doc = new HtmlParser().ParseDocument(await client.GetStringAsync("/issues"));

        Assert.NotNull(doc.QuerySelector(".empty"));
        Assert.Empty(doc.QuerySelectorAll("li.issue"));
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class DigestArchiveOnPostgresTests(DigestArchiveOnPostgresTests.PostgresApp app)
    : DigestArchiveTests(app), IClassFixture<DigestArchiveOnPostgresTests.PostgresApp>
{
    public sealed class PostgresApp() : App(DatabaseProvider.Postgres);
}
