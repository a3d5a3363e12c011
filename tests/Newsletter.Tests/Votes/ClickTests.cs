using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Newsletter.Clicks;
using Newsletter.Links;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Votes;

/// <summary>Tracked links from a digest that really went out: counted once for a reader, never for a scanner.</summary>
public class ClickTests(ReaderLinksFixture f) : IClassFixture<ReaderLinksFixture>
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static readonly string ComparisonUrl = SampleComparisons.Node()["url"]!.GetValue<string>();

    [Fact]
    public void OnlyComparisonLinksGoThroughTheRedirect()
    {
        var mail = f.Mail(f.Readers[0]);
        var all = ReaderLinksFixture.Links(mail, "a[href]");

        Assert.Equal(2, all.Count(l => l.StartsWith(ReaderLinksFixture.PublicBase + "/r/", StringComparison.Ordinal)));
        Assert.All(ReaderLinksFixture.Links(mail, "a.title, a.full-verdict"), l => Assert.StartsWith(ReaderLinksFixture.PublicBase + "/r/", l, StringComparison.Ordinal));
        Assert.All(ReaderLinksFixture.Links(mail, "a.unsubscribe"), l => Assert.StartsWith(ReaderLinksFixture.PublicBase + "/unsubscribe?token=", l, StringComparison.Ordinal));
        Assert.All(ReaderLinksFixture.Links(mail, "a.vote-ship, a.vote-skip"), l => Assert.StartsWith(ReaderLinksFixture.PublicBase + "/vote?token=", l, StringComparison.Ordinal));
        Assert.DoesNotContain(ComparisonUrl, mail.Html, StringComparison.Ordinal);
        Assert.Contains(ReaderLinksFixture.PublicBase + "/r/", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"<{ReaderLinksFixture.PublicBase}/unsubscribe?token={f.Readers[0].Token}>", mail.Message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReaderClickLandsOnTheComparisonAndCountsOnceHeadAndScannersDoNot()
    {
        var link = f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[1]), "a.full-verdict")[0]);
        var before = Count(await f.ClicksAsync());

        var head = await SendAsync(HttpMethod.Head, link, Chrome);
        var scanner = await SendAsync(HttpMethod.Get, link, "Mozilla/5.0 (compatible; Microsoft Office SafeLinks)");
        var noAgent = await SendAsync(HttpMethod.Get, link, null);
        Assert.All([head, scanner, noAgent], r => Assert.Equal((HttpStatusCode.Found, ComparisonUrl), (r.StatusCode, r.Headers.Location!.ToString())));
        Assert.Equal(before, Count(await f.ClicksAsync()));

        var click = await SendAsync(HttpMethod.Get, link, Chrome);

        Assert.Equal(HttpStatusCode.Found, click.StatusCode);
        Assert.Equal(ComparisonUrl, click.Headers.Location!.ToString());
        Assert.Equal("no-referrer", click.Headers.GetValues("Referrer-Policy").Single());
        var after = Assert.Single(await f.ClicksAsync(), c => c.Url == ComparisonUrl);
        Assert.Equal((before.Clicks + 1, before.UniqueReaders + 1), (after.Clicks, after.UniqueReaders));
    }

    [Fact]
    public async Task OneMailsLinksOpenedAllAtOnceAreAScannerNotAReader()
    {
        var links = ReaderLinksFixture.Links(f.Mail(f.Readers[2]), "a.title, a.full-verdict").Select(f.Local).ToList();
        var before = Count(await f.ClicksAsync());

        foreach (var link in links)
        {
            Assert.Equal(HttpStatusCode.Found, (await SendAsync(HttpMethod.Get, link, Chrome)).StatusCode);
        }

        Assert.Equal(2, links.Count);
        Assert.Equal(before, Count(await f.ClicksAsync()));
    }

    [Fact]
    public async Task ATamperedOrMadeUpTrackedLinkIs404NeverARedirect()
    {
        var link = f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[3]), "a.full-verdict")[0]);
        var token = link[(link.LastIndexOf('/') + 1)..];
        var parts = token.Split('.');
        var before = Count(await f.ClicksAsync());
        string[] bad =
        [
            Replace(link, token, (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) + 1) + "." + parts[1] + "." + parts[2]),
            Replace(link, token, parts[0] + "." + Flip(parts[1]) + "." + parts[2]),
            Replace(link, token, parts[0] + "." + parts[1] + "." + Flip(parts[2])),
            Replace(link, token, parts[0] + "." + parts[1] + "." + parts[2] + ".https:%2F%2Fevil.example"),
            new Uri(f.Address, "/r/https%3A%2F%2Fevil.example").ToString(),
        ];

        foreach (var url in bad)
        {
            var response = await SendAsync(HttpMethod.Get, url, Chrome);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }

        Assert.Equal(before, Count(await f.ClicksAsync()));
    }

    [Fact]
    public async Task AReaderPartOfAReaderNeverSentTheIssueIsRedirectedButNotCounted()
    {
        var link = f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[4]), "a.full-verdict")[0]);
        var late = (await AddReadersAsync(f.App, 1, prefix: "late-reader"))[0];
        var secrets = await f.App.Services.GetRequiredService<LinkKeys>().GetAsync(CancellationToken.None);
        var spliced = link[..(link.LastIndexOf('.') + 1)] + secrets.Reader.Seal(late.Token);
        var before = Count(await f.ClicksAsync());

        var response = await SendAsync(HttpMethod.Get, spliced, Chrome);

        Assert.Equal((HttpStatusCode.Found, ComparisonUrl), (response.StatusCode, response.Headers.Location!.ToString()));
        Assert.Equal(before, Count(await f.ClicksAsync()));

        // The same link with the part of a reader who was sent the issue counts.
        Assert.Equal(HttpStatusCode.Found, (await SendAsync(HttpMethod.Get, link, Chrome)).StatusCode);
        Assert.Equal((before.Clicks + 1, before.UniqueReaders + 1), Count(await f.ClicksAsync()));
    }

    [Fact]
    public async Task AGracefulStopWritesEveryClickStillQueued()
    {
        var link = f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[5]), "a.full-verdict")[0]);
        var target = await f.App.Services.GetRequiredService<ClickTargets>().ResolveAsync(link[(link.LastIndexOf('/') + 1)..], CancellationToken.None);
        Assert.NotNull(target);
        var before = Count(await f.ClicksAsync());

        // A writer of its own, not started until the clicks are queued, then stopped at once: what
        // the host's stop meets when the last requests' clicks are still in memory. A minute apart,
        // so none is part of a burst.
        var buffer = new ClickBuffer(f.App.Services.GetRequiredService<IOptions<TrackingOptions>>());
        using var writer = new ClickWriter(buffer, f.App.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<ClickWriter>.Instance);
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await buffer.TryEnqueueAsync(new PendingClick(target.LinkId, target.IssueId, target.UnsubscribeToken, start.AddMinutes(i)), CancellationToken.None));
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.False(await buffer.TryEnqueueAsync(new PendingClick(target.LinkId, target.IssueId, target.UnsubscribeToken, start), CancellationToken.None));
        Assert.Equal((before.Clicks + 50, before.UniqueReaders + 1), Count(await f.ClicksAsync()));
    }

    private static string Replace(string link, string token, string with) => link.Replace(token, with, StringComparison.Ordinal);

    private static string Flip(string part) => (part[0] == 'A' ? 'B' : 'A') + part[1..];

    private static (int Clicks, int UniqueReaders) Count(List<ReaderLinksFixture.LinkClicksView> clicks) =>
        clicks.SingleOrDefault(c => c.Url == ComparisonUrl) is { } c ? (c.Clicks, c.UniqueReaders) : (0, 0);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? userAgent)
    {
        using var request = new HttpRequestMessage(method, url);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return await f.Client.SendAsync(request);
    }
}

public sealed class ClickOnPostgresTests(PostgresReaderLinksFixture f) : ClickTests(f), IClassFixture<PostgresReaderLinksFixture>;
