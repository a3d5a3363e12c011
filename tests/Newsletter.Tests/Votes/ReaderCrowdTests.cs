using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Links;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;
using Newsletter.Votes;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Votes;

/// <summary>
/// The minutes after a digest lands: many readers vote and unsubscribe (RFC 8058 one-click) at the
/// same moment. Each is answered only once it is committed, so every 200 is in the database.
/// </summary>
public class ReaderCrowdTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task EveryVoteAndUnsubscribeAnsweredAtOnceIsInTheDatabase()
    {
        // Every request comes from the test server's one (unknown) address: the vote limit is raised.
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Votes:VotesPerMinutePerIp"] = "1000" }, Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 60, prefix: "crowd");
        await PublishAsync(admin, "crowd-verdict");
        var comparison = await app.WithDbAsync(db => db.Comparisons.AsNoTracking().SingleAsync(c => c.Slug == "crowd-verdict"));
        var tool = comparison.Tools[0].Name;
        var secrets = await app.Services.GetRequiredService<LinkKeys>().GetAsync(CancellationToken.None);
        var choice = VoteToken.ChoicePart(secrets, new VoteChoice(comparison.Id, tool, Ship: true));
        var client = app.CreateClient();

        // Readers 0–39 vote (the even ones override the link's "ship" with "skip"); 40–59 leave.
        var voters = readers.Take(40).ToList();
        var leavers = readers.Skip(40).ToList();
        var answers = await Task.WhenAll(
            voters.Select((r, i) => client.PostAsync("/vote?token=" + choice + secrets.Reader.Seal(r.Token),
                new FormUrlEncodedContent([new("choice", i % 2 == 0 ? "skip" : "ship")])))
            .Concat(leavers.Select(r => client.PostAsync("/unsubscribe?token=" + r.Token,
                new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        foreach (var answer in answers.Take(40))
        {
            var page = await answer.Content.ReadAsStringAsync();
            Assert.Matches(@"\d+% ship \(\d+ of \d+ votes?\)", page);
        }

        var votes = await app.WithDbAsync(db => db.Set<Vote>().AsNoTracking().ToDictionaryAsync(v => v.SubscriberId!.Value));
        Assert.Equal(voters.Select(v => v.Id).Order(), votes.Keys.Order());
        Assert.All(voters.Select((r, i) => (r, i)), v => Assert.Equal((tool, v.i % 2 != 0), (votes[v.r.Id].Tool, votes[v.r.Id].Ship)));
        var statuses = await app.WithDbAsync(db => db.Subscribers.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Status));
        Assert.All(leavers, r => Assert.Equal(SubscriberStatus.Unsubscribed, statuses[r.Id]));
        Assert.All(voters, r => Assert.Equal(SubscriberStatus.Confirmed, statuses[r.Id]));

        // The departures journal (SQLite) has each of them, for a restore from a backup to stop them again.
        if (await app.WithDbAsync(db => Task.FromResult(DepartureJournal.PathFor(db))) is { } journal)
        {
            var departed = await DepartureJournal.ReadAsync(journal, CancellationToken.None);
            Assert.Equal(leavers.Select(r => r.Email).Order(), departed.Select(d => d.Email).Order());
        }

        // The API's split agrees with the rows: 20 ship, 20 skip.
        var api = await client.GetFromJsonAsync<ComparisonVotes>("/api/comparisons/crowd-verdict/votes", SampleComparisons.Web);
        Assert.Equal(new ToolVotes(tool, 20, 20, 50), api!.Tools.Single(t => t.Name == tool));
    }
}

public sealed class ReaderCrowdOnPostgresTests : ReaderCrowdTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
