using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Hosting;

namespace Newsletter.Tests.Digests;

/// <summary>
/// The assembly rule against a real database: oldest first, at most Digest:MaxComparisons, nothing
/// twice, nothing lost (late, back-dated, not yet published), numbering and subjects, empty weeks.
/// </summary>
public class DigestAssemblyTests(DigestAssemblyTests.App app) : IClassFixture<DigestAssemblyTests.App>, IAsyncLifetime
{
    public class App : DigestTestApp
    {
        public App()
            : this(DatabaseProvider.Sqlite)
        {
        }

        protected App(DatabaseProvider provider)
            : base(new Dictionary<string, string?> { ["Digest:MaxComparisons"] = "3" }, provider)
        {
        }
    }

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task NextDigestCarriesTheOldestFirstAndTheRestWaitForTheNextIssue()
    {
        var now = app.Clock.GetUtcNow();
        await app.PutAsync("c-three", now - 3 * Day);
        await app.PutAsync("c-five", now - 1 * Day);
        await app.PutAsync("c-one", now - 5 * Day);
        await app.PutAsync("c-four", now - 2 * Day);
        await app.PutAsync("c-two", now - 4 * Day);

        var plan = await app.PlanAsync();
        Assert.Equal(["c-one", "c-two", "c-three"], plan.Comparisons.Select(c => c.Slug));

        var first = await app.MakeIssueAsync("slot-1", sent: true);
        Assert.Equal(1, first!.Number);
        Assert.Equal(["c-one", "c-two", "c-three"], await app.CarriedAsync(1));

        app.Clock.Advance(7 * Day);
        var second = await app.MakeIssueAsync("slot-2");
        Assert.Equal(2, second!.Number);
        Assert.Equal(["c-four", "c-five"], await app.CarriedAsync(2));
        Assert.True((await app.PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task ComparisonBackDatedAfterAnIssueWentOutGoesInTheNextOne()
    {
        var now = app.Clock.GetUtcNow();
        await app.PutAsync("on-time", now - Day);
        await app.MakeIssueAsync("slot-1", sent: true);

        // Arrives after issue 1 was made, dated a month before it: never lost, carried next time.
        app.Clock.Advance(Day);
        await app.PutAsync("back-dated", now - 30 * Day);

        app.Clock.Advance(6 * Day);
        await app.MakeIssueAsync("slot-2");
        Assert.Equal(["back-dated"], await app.CarriedAsync(2));
    }

    [Fact]
    public async Task ComparisonDatedInTheFutureWaitsUntilItIsPublished()
    {
        var now = app.Clock.GetUtcNow();
        await app.PutAsync("scheduled", now + TimeSpan.FromHours(2));
        await app.PutAsync("published", now - TimeSpan.FromHours(2));

        Assert.Equal(["published"], (await app.PlanAsync()).Comparisons.Select(c => c.Slug));
        await app.MakeIssueAsync("slot-1", sent: true);
        Assert.Equal(["published"], await app.CarriedAsync(1));

        app.Clock.Advance(TimeSpan.FromHours(3));
        await app.MakeIssueAsync("slot-2");
        Assert.Equal(["scheduled"], await app.CarriedAsync(2));
    }

    [Fact]
    public async Task CarriedComparisonIsNeverCarriedAgainEvenWhenEditedOrRedated()
    {
        var now = app.Clock.GetUtcNow();
        await app.PutAsync("carried", now - Day);
        await app.MakeIssueAsync("slot-1", sent: true);

        // The editor fixes a typo and moves the date: still the same comparison, already sent.
        await app.PutAsync("carried", now - TimeSpan.FromHours(1), "carried, corrected");
        await app.PutAsync("fresh", now - TimeSpan.FromHours(1));

        var second = await app.MakeIssueAsync("slot-2");
        Assert.Equal(["fresh"], await app.CarriedAsync(second!.Number));
        var carriedTwice = await app.WithDbAsync(db => db.IssueComparisons.GroupBy(ic => ic.ComparisonId).CountAsync(g => g.Count() > 1));
        Assert.Equal(0, carriedTwice);
    }

    [Fact]
    public async Task ComparisonInAQueuedIssueIsNotPlannedAgain()
    {
        await app.PutAsync("queued", app.Clock.GetUtcNow() - Day);
        var issue = await app.MakeIssueAsync("slot-1");
        Assert.Equal(DigestIssueStatus.Queued, issue!.Status);

        var plan = await app.PlanAsync();
        Assert.True(plan.IsEmpty);
        Assert.Equal(2, plan.Number);
    }

    [Fact]
    public async Task SameSlotMakesOneIssue()
    {
        await app.PutAsync("once", app.Clock.GetUtcNow() - Day);

        var first = await app.MakeIssueAsync("slot-1");
        var again = await app.MakeIssueAsync("slot-1");

        Assert.Equal(first!.Id, again!.Id);
        Assert.Equal(1, await app.WithDbAsync(db => db.Issues.CountAsync()));
    }

    [Fact]
    public async Task EmptyWeekMakesNoIssueUnlessSendWhenEmpty()
    {
        await app.PutAsync("later", app.Clock.GetUtcNow() + Day);

        Assert.Null(await app.MakeIssueAsync("slot-empty"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Issues.CountAsync()));

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var sendAnyway = new DigestAssembler(
            db,
            Options.Create(new DigestOptions { SendWhenEmpty = true }),
            scope.ServiceProvider.GetRequiredService<IOptions<NewsletterOptions>>(),
            app.Clock,
            scope.ServiceProvider.GetRequiredService<DigestRenderer>());
        var issue = await sendAnyway.MakeIssueAsync("slot-empty", CancellationToken.None);

        Assert.NotNull(issue);
        Assert.Equal(1, issue.Number);
        Assert.Equal("AI Tool Verdicts #1", issue.Subject);
        Assert.Empty(await app.CarriedAsync(1));
    }

    [Fact]
    public async Task IssuesAreNumberedOneTwoThreeAndTheSubjectNamesTheLeadAndHowManyMore()
    {
        var now = app.Clock.GetUtcNow();
        await app.PutAsync("lead", now - 3 * Day, "Mistral 4B Edge vs Modal GPU Serverless Inference");
        await app.PutAsync("second", now - 2 * Day);
        await app.PutAsync("third", now - 2 * Day);
        var first = await app.MakeIssueAsync("slot-1", sent: true);

        await app.PutAsync("alone", now - Day, "Only one this week");
        var second = await app.MakeIssueAsync("slot-2", sent: true);

        await app.PutAsync("more-1", now, "Lead of three");
        await app.PutAsync("more-2", now);
        var third = await app.MakeIssueAsync("slot-3");

        Assert.Equal([1, 2, 3], new[] { first!.Number, second!.Number, third!.Number });
        Assert.Equal("AI Tool Verdicts #1: Mistral 4B Edge vs Modal GPU Serverless Inference + 2 more", first.Subject);
        Assert.Equal("AI Tool Verdicts #2: Only one this week", second.Subject);
        Assert.Equal("AI Tool Verdicts #3: Lead of three + 1 more", third.Subject);
    }

    [Fact]
    public async Task NextEndpointShowsWhatWouldGoOutNowAndWhatWaits()
    {
        var now = app.Clock.GetUtcNow();
        for (var i = 1; i <= 5; i++)
        {
            await app.PutAsync($"n-{i}", now - (6 - i) * Day, $"Comparison {i}");
        }

        await app.PutAsync("n-future", now + Day);
        using var client = app.CreateAdminClient();
        var next = await client.GetFromJsonAsync<NextDigest>("/api/digests/next", SampleJson);

        Assert.Equal(1, next!.Number);
        Assert.Equal("AI Tool Verdicts #1: Comparison 1 + 2 more", next.Subject);
        Assert.True(next.WouldSend);
        Assert.Equal(2, next.Waiting);
        Assert.Equal(["n-1", "n-2", "n-3"], next.Comparisons.Select(c => c.Slug));
        Assert.Equal(now - 5 * Day, next.Comparisons[0].PublishedAt);

        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/digests/next")).StatusCode);
    }

    [Fact]
    public async Task NextEndpointSaysAnEmptyWeekWouldNotSend()
    {
        using var client = app.CreateAdminClient();
        var next = await client.GetFromJsonAsync<NextDigest>("/api/digests/next", SampleJson);

        Assert.False(next!.WouldSend);
        Assert.Empty(next.Comparisons);
        Assert.Equal("AI Tool Verdicts #1", next.Subject);
    }

    private static System.Text.Json.JsonSerializerOptions SampleJson => Fixtures.SampleComparisons.Web;
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class DigestAssemblyOnPostgresTests(DigestAssemblyOnPostgresTests.PostgresApp app)
    : DigestAssemblyTests(app), IClassFixture<DigestAssemblyOnPostgresTests.PostgresApp>
{
    public sealed class PostgresApp() : App(DatabaseProvider.Postgres);
}
