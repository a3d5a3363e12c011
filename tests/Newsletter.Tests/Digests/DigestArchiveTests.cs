using System.Net;
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
