using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Comparisons;

/// <summary>The optional feed source against a real HTTP server serving a JSON Feed 1.1.</summary>
public class FeedPollerTests : IAsyncLifetime
{
    private readonly HttpListener _feedServer = new();
    private readonly List<string?> _ifNoneMatch = [];
    private NewsletterApp _app = null!;
    private string _feed = "";

    /// <summary>The database the app of this class runs on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _feedServer.Prefixes.Add($"http://127.0.0.1:{port}/");
        _feedServer.Start();
        _ = ServeAsync();

        var valid = SampleComparisons.With("from-the-feed", DateTimeOffset.UtcNow.AddDays(-1));
        var invalid = SampleComparisons.With("broken-in-the-feed", DateTimeOffset.UtcNow.AddDays(-1));
        invalid["tools"] = new JsonArray();
        _feed = new JsonObject
        {
            ["version"] = "https://jsonfeed.org/version/1.1",
            ["title"] = "AI Tool Verdicts",
            ["items"] = new JsonArray
            {
                new JsonObject { ["id"] = "bad", ["_comparison"] = invalid },
                new JsonObject { ["id"] = "null-document", ["_comparison"] = null },
                new JsonObject { ["id"] = "text-document", ["_comparison"] = "not an object" },
                new JsonObject { ["id"] = "plain-post", ["content_text"] = "not a comparison" },
                new JsonObject { ["id"] = "good", ["_comparison"] = valid },
            },
        }.ToJsonString();

        _app = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Sources:Feed:Url"] = $"http://127.0.0.1:{port}/feed.json",
            ["Sources:Feed:Schedule"] = "0/1 * * * * ?",
        }, Provider);
        _ = _app.CreateClient();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ValidItemsLandAndInvalidOnesAreSkippedWithoutStoppingTheWorker()
    {
        var slugs = await WaitForAsync(async () =>
        {
            var found = await _app.WithDbAsync(db => db.Comparisons.Select(c => c.Slug).ToListAsync());
            return found.Contains("from-the-feed") ? found : null;
        });

        Assert.DoesNotContain("broken-in-the-feed", slugs);

        // The worker is still up: the host would stop everything if the poller had thrown.
        var health = await _app.CreateClient().GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LaterPollsAskWhetherTheFeedChanged()
    {
        await WaitForAsync(() => Task.FromResult(_ifNoneMatch.Count >= 2 ? _ifNoneMatch : null));

        Assert.Null(_ifNoneMatch[0]);
        Assert.Equal("\"v1\"", _ifNoneMatch[1]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _feedServer.Stop();
        _feedServer.Close();
    }

    private async Task ServeAsync()
    {
        while (_feedServer.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _feedServer.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var tag = context.Request.Headers["If-None-Match"];
            lock (_ifNoneMatch)
            {
                _ifNoneMatch.Add(tag);
            }

            if (tag == "\"v1\"")
            {
                context.Response.StatusCode = 304;
            }
            else
            {
                context.Response.Headers["ETag"] = "\"v1\"";
                context.Response.ContentType = "application/feed+json";
                var body = Encoding.UTF8.GetBytes(_feed);
                await context.Response.OutputStream.WriteAsync(body);
            }

            context.Response.Close();
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the feed was not polled in time");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The same polls on PostgreSQL, with Quartz's clustered store there.</summary>
public sealed class FeedPollerOnPostgresTests : FeedPollerTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
