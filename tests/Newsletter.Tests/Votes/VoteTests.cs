using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Delivery;
using Microsoft.Playwright;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;
using Newsletter.Votes;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Votes;

/// <summary>A reader votes from a digest that really went out: in Chromium, from the received mail.</summary>
public partial class VoteTests(ReaderLinksFixture f, Browser browser) : IClassFixture<ReaderLinksFixture>, IClassFixture<Browser>
{
    private const string FirstTool = "Mistral 4B Edge";
    private const string SecondTool = "Modal GPU Serverless Inference";

    [Fact]
    public async Task ReaderVotesFromTheMailAndTheSplitReachesTheApiAndTheNextDigest()
    {
        var reader = f.Readers[0];
        var mail = f.Mail(reader);
        var ship = ReaderLinksFixture.Links(mail, "a.vote-ship")[0];
        Assert.StartsWith(ReaderLinksFixture.PublicBase + "/vote?token=", ship, StringComparison.Ordinal);

        // GET shows the choice and counts nothing (a link scanner opening it changes nothing).
        var page = await browser.NewPageAsync(375, 812);
        await page.GotoAsync(f.Local(ship));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your verdict on " + FirstTool })).ToBeVisibleAsync();
        Assert.True(await page.GetByLabel("Ship it").IsCheckedAsync());
        Assert.Empty(await VotesOfAsync(reader.Id));

        await page.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thanks: you said ship" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".split")).ToHaveTextAsync("100% ship (1 of 1 vote)");
        var first = Assert.Single(await VotesOfAsync(reader.Id));
        Assert.Equal((FirstTool, true), (first.Tool, first.Ship));

        // The text part's "Skip it" for the same tool: the second vote replaces the first.
        var skip = TextVoteLinks().Matches(mail.Text).Select(m => m.Groups["url"].Value).ToList();
        Assert.Equal(4, skip.Count);
        await page.GotoAsync(f.Local(skip[1]));
        Assert.True(await page.GetByLabel("Skip it").IsCheckedAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thanks: you said skip" })).ToBeVisibleAsync();
        var replaced = Assert.Single(await VotesOfAsync(reader.Id));
        Assert.Equal((FirstTool, false), (replaced.Tool, replaced.Ship));

        // Another reader ships it (a plain form post, as the page's button makes).
        var other = ReaderLinksFixture.Links(f.Mail(f.Readers[1]), "a.vote-ship")[0];
        var posted = await f.Client.PostAsync(f.Local(other), new FormUrlEncodedContent([new("choice", "ship")]));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        // The comparison site's view: public, any origin, cacheable.
        var api = await f.Client.GetAsync($"/api/comparisons/{ReaderLinksFixture.Slug}/votes");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("*", api.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("public", api.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var votes = (await api.Content.ReadFromJsonAsync<ComparisonVotes>(SampleComparisons.Web))!;
        Assert.Equal(new ToolVotes(FirstTool, 1, 1, 50), votes.Tools.Single(t => t.Name == FirstTool));

        // The next digest opens with the recap, and the tool's figure is now the readers' (2 votes ≥ Votes:MinimumToShow).
        await PublishAsync(f.Admin, "next-verdict");
        var preview = await f.Admin.GetStringAsync("/api/digests/next/preview?format=text");
        Assert.Contains("Community verdicts", preview, StringComparison.Ordinal);
        Assert.Contains($"  {FirstTool}: 50% ship (1 of 2 votes)", preview, StringComparison.Ordinal);
        // The next schedule slot's issue (POST /api/digests/send would answer with this slot's issue #1).
        var made = await f.App.Services.GetRequiredService<IssueMaker>().MakeAsync("2099-01-05T09:00:00Z", CancellationToken.None);
        Assert.Equal(2, made.Issue!.Number);
        f.App.Services.GetRequiredService<DeliveryEngine>().Wake();
        await WaitForIssueAsync(f.Admin, 2, i => i.Status == "sent");
        await WaitUntilAsync(() => Task.FromResult(f.Sink.Messages().Any(m => m.Recipients.Contains(f.Readers[2].Email) && m.Message.MessageId!.StartsWith("issue-2.", StringComparison.Ordinal))));
        var next = f.Mail(f.Readers[2], number: 2);
        Assert.Contains($"  {FirstTool}: 50% ship (1 of 2 votes)", next.Text, StringComparison.Ordinal);
        var recap = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(next.Html).QuerySelector(".recap")!;
        Assert.Contains("Community verdicts", recap.TextContent, StringComparison.Ordinal);
        Assert.Contains("Vote <on> this & that", recap.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsubscribedAndErasedReadersCannotVoteAndErasedVotesStayAsCounts()
    {
        var erased = f.Readers[3];
        var link = f.Local(ReaderLinksFixture.Links(f.Mail(erased), "a.vote-ship")[1]);
        Assert.Equal(HttpStatusCode.OK, (await f.Client.PostAsync(link, null)).StatusCode);
        var before = await SecondToolAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await f.Admin.DeleteAsync($"/api/subscribers/{erased.Email}")).StatusCode);

        Assert.Equal(before, await SecondToolAsync());
        Assert.Empty(await VotesOfAsync(erased.Id));
        var again = await f.Client.PostAsync(link, null);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Contains("Only subscribers can vote", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await SecondToolAsync());

        var gone = f.Readers[4];
        await f.App.WithDbAsync(db => db.Subscribers.Where(s => s.Id == gone.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, Newsletter.Subscribers.SubscriberStatus.Unsubscribed)));
        var goneLink = f.Local(ReaderLinksFixture.Links(f.Mail(gone), "a.vote-skip")[1]);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Client.GetAsync(goneLink)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Client.PostAsync(goneLink, null)).StatusCode);
        Assert.Empty(await VotesOfAsync(gone.Id));
        Assert.Equal(before, await SecondToolAsync());
    }

    [Fact]
    public async Task ATamperedVoteLinkIsRefusedAndCountsNothing()
    {
        var link = f.Local(ReaderLinksFixture.Links(f.Mail(f.Readers[5]), "a.vote-ship")[1]);
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var parts = token.Split('.');
        string[] tampered =
        [
            link.Replace(token, Flip(parts[0]) + "." + parts[1] + "." + parts[2], StringComparison.Ordinal),
            link.Replace(token, parts[0] + "." + Flip(parts[1]) + "." + parts[2], StringComparison.Ordinal),
            link.Replace(token, parts[0] + "." + parts[1] + "." + Flip(parts[2]), StringComparison.Ordinal),
            link.Replace(token, parts[0] + "." + parts[1] + ".", StringComparison.Ordinal),
        ];

        foreach (var bad in tampered)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await f.Client.GetAsync(bad)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await f.Client.PostAsync(bad, null)).StatusCode);
        }

        Assert.Empty(await VotesOfAsync(f.Readers[5].Id));
    }

    private static string Flip(string part) => (part[0] == 'A' ? 'B' : 'A') + part[1..];

    private async Task<ToolVotes> SecondToolAsync() =>
        (await f.Client.GetFromJsonAsync<ComparisonVotes>($"/api/comparisons/{ReaderLinksFixture.Slug}/votes", SampleComparisons.Web))!
        .Tools.Single(t => t.Name == SecondTool);

    private Task<List<Vote>> VotesOfAsync(long subscriberId) =>
        f.App.WithDbAsync(db => db.Set<Vote>().AsNoTracking().Where(v => v.SubscriberId == subscriberId).ToListAsync());

    [GeneratedRegex(@"^  (Ship|Skip) it: (?<url>\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex TextVoteLinks();
}

public sealed class VoteOnPostgresTests(PostgresReaderLinksFixture f, Browser browser) : VoteTests(f, browser), IClassFixture<PostgresReaderLinksFixture>;
