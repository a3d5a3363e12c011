using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Digests.Selections;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Digests;

/// <summary>
/// The per-reader "settled up to issue N" mark (<see cref="SettledReader"/>) on lists with several
/// issues of history: it only spares work, so every issue still gives each reader exactly what the
/// selection rule gives (checked against the ledger), a reader still owed something keeps their old
/// mark, a change of choice or of a carried comparison's topics makes it void, a monthly reader's
/// mark stays put mid-month, and the console's count is what making the issue then fixes.
/// </summary>
public class SettledSelectionTests
{
    private const string Coding = "Coding agents";
    private const string Inference = "Inference platforms";

    /// <summary>Slots a week apart from the first Monday of December 2026: each one's own issue.</summary>
    private static readonly string[] Slots =
        [.. Enumerable.Range(0, 10).Select(w => new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero).AddDays(7 * w).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))];

    private readonly Dictionary<string, DateTimeOffset> _published = [];

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task AReaderStillOwedTheRestKeepsTheirOldMarkAndAChangeOfTopicsBringsBackTheWholeHistory()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Digest:MaxComparisons"] = "2" }, Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 3);
        var (switcher, inference, everything) = (readers[0], readers[1], readers[2]);

        // The form takes only topics that published comparisons carry: the first issue's come first.
        await PublishAsync(admin, "I1", Inference);
        await PublishAsync(admin, "C1", Coding);
        await ChooseAsync(admin, switcher.Token, "weekly", "coding agents");
        await ChooseAsync(admin, inference.Token, "weekly", "inference platforms");
        await ChooseAsync(admin, everything.Token, "weekly");

        // Three issues, each one inference and one coding comparison: everyone settled each time.
        var issues = new List<long>();
        for (var k = 1; k <= 3; k++)
        {
            issues.Add(await MakeAsync(app, Slots[k - 1], ($"I{k}", Inference), ($"C{k}", Coding)));
            Assert.Equal([$"C{k}"], await CarriedAsync(app, switcher, issues[^1]));
            Assert.Equal([$"I{k}"], await CarriedAsync(app, inference, issues[^1]));
            Assert.Equal([$"I{k}", $"C{k}"], await CarriedAsync(app, everything, issues[^1]));
            Assert.Equal(issues[^1], await MarkAsync(app, switcher));
        }

        // The switcher now wants inference: the three inference comparisons they never had are owed
        // again (the mark was made for another choice), two per mail, oldest first.
        await ChooseAsync(admin, switcher.Token, "weekly", "inference platforms");
        issues.Add(await MakeAsync(app, Slots[3], ("I4", Inference), ("C4", Coding)));
        Assert.Equal(["I1", "I2"], await CarriedAsync(app, switcher, issues[^1]));

        // Still owed I3 and I4: their mark must not say otherwise.
        Assert.Equal(issues[2], await MarkAsync(app, switcher));
        Assert.Equal(issues[^1], await MarkAsync(app, inference));

        issues.Add(await MakeAsync(app, Slots[4], ("I5", Inference), ("C5", Coding)));
        Assert.Equal(["I3", "I4"], await CarriedAsync(app, switcher, issues[^1]));
        Assert.Equal(issues[2], await MarkAsync(app, switcher));

        // Exactly the most a mail carries and nothing left: settled again.
        issues.Add(await MakeAsync(app, Slots[5], ("I6", Inference), ("C6", Coding)));
        Assert.Equal(["I5", "I6"], await CarriedAsync(app, switcher, issues[^1]));
        Assert.Equal(issues[^1], await MarkAsync(app, switcher));

        issues.Add(await MakeAsync(app, Slots[6], ("I7", Inference), ("C7", Coding)));
        Assert.Equal(["I7"], await CarriedAsync(app, switcher, issues[^1]));
        Assert.Equal(["I7"], await CarriedAsync(app, inference, issues[^1]));
        Assert.Equal(["I7", "C7"], await CarriedAsync(app, everything, issues[^1]));

        // Nothing twice, nothing lost: over the seven issues each reader had every comparison of their topic once.
        Assert.Equal(3 + 7, await ScalarAsync<long>(app, $"SELECT COUNT(*) FROM ReaderLedger WHERE SubscriberId = {switcher.Id}"));
        Assert.Equal(7, await ScalarAsync<long>(app, $"SELECT COUNT(*) FROM ReaderLedger WHERE SubscriberId = {inference.Id}"));
        Assert.Equal(14, await ScalarAsync<long>(app, $"SELECT COUNT(*) FROM ReaderLedger WHERE SubscriberId = {everything.Id}"));
    }

    [Fact]
    public async Task AComparisonGivenNewTopicsAfterItWasCarriedReachesTheReadersItNowMatches()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>(), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 2);
        var inference = readers[0];
        await PublishAsync(admin, "X", Coding);
        await PublishAsync(admin, "I1", Inference);
        await ChooseAsync(admin, inference.Token, "weekly", "inference platforms");

        var first = await MakeAsync(app, Slots[0], ("X", Coding), ("I1", Inference));
        Assert.Equal(["I1"], await CarriedAsync(app, inference, first));
        var second = await MakeAsync(app, Slots[1], ("C2", Coding));
        Assert.Empty(await CarriedAsync(app, inference, second));
        Assert.Equal(second, await MarkAsync(app, inference));

        // The editor finds X was about an inference platform after all.
        await PublishAsync(admin, "X", Inference);

        var third = await MakeAsync(app, Slots[2], ("I3", Inference));
        Assert.Equal(["X", "I3"], await CarriedAsync(app, inference, third));
        Assert.Equal(third, await MarkAsync(app, inference));

        var fourth = await MakeAsync(app, Slots[3], ("I4", Inference));
        Assert.Equal(["I4"], await CarriedAsync(app, inference, fourth));

        // A reader who never chose has no ledger and no mark: the default list writes nothing of this.
        Assert.Equal(0, await ScalarAsync<long>(app, $"SELECT COUNT(*) FROM SettledReaders WHERE SubscriberId = {readers[1].Id}"));
    }

    [Fact]
    public async Task AMonthlyReadersMarkStaysPutMidMonthAndMovesAtTheMonthsFirstIssue()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>(), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 2);
        var (monthly, weekly) = (readers[0], readers[1]);
        await PublishAsync(admin, "D1", Coding);
        await PublishAsync(admin, "N0", Inference);
        await ChooseAsync(admin, monthly.Token, "monthly", "coding agents");
        await ChooseAsync(admin, weekly.Token, "weekly", "coding agents");

        var december = await MakeAsync(app, Slots[0], ("D1", Coding), ("N0", Inference));
        Assert.Equal(["D1"], await CarriedAsync(app, monthly, december));
        Assert.Equal(december, await MarkAsync(app, monthly));

        long last = 0;
        for (var k = 1; k <= 3; k++)
        {
            last = await MakeAsync(app, Slots[k], ($"D{k + 1}", Coding), ($"N{k + 1}", Inference));
            Assert.Empty(await CarriedAsync(app, monthly, last));
            Assert.Equal(december, await MarkAsync(app, monthly));
            Assert.Equal(last, await MarkAsync(app, weekly));
        }

        // January's first issue carries December's rest to them, and their mark moves with it.
        var january = await MakeAsync(app, Slots[4], ("J1", Coding));
        Assert.Equal(["D2", "D3", "D4", "J1"], await CarriedAsync(app, monthly, january));
        Assert.Equal(january, await MarkAsync(app, monthly));

        var later = await MakeAsync(app, Slots[5], ("J2", Coding));
        Assert.Empty(await CarriedAsync(app, monthly, later));
        Assert.Equal(january, await MarkAsync(app, monthly));
    }

    [Fact]
    public async Task TheConsolesCountIsWhatMakingTheIssueThenFixesOnAListWithMarks()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Digest:MaxComparisons"] = "2" }, Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 6);
        await PublishAsync(admin, "I1", Inference);
        await PublishAsync(admin, "C1", Coding);
        await ChooseAsync(admin, readers[0].Token, "weekly", "coding agents");
        await ChooseAsync(admin, readers[1].Token, "weekly", "inference platforms");
        await ChooseAsync(admin, readers[2].Token, "weekly");
        await ChooseAsync(admin, readers[3].Token, "weekly", "coding agents", "inference platforms");

        for (var k = 1; k <= 5; k++)
        {
            // Between issues, choices change, so some readers are settled and some are owed a backlog.
            if (k == 3)
            {
                await ChooseAsync(admin, readers[0].Token, "weekly", "inference platforms");
                await ChooseAsync(admin, readers[4].Token, "weekly", "coding agents");
            }

            await PublishAsync(admin, $"I{k}", Inference);
            await PublishAsync(admin, $"C{k}", Coding);
            var counted = await CountAsync(app, Slots[k - 1]);
            var issue = (await app.Services.GetRequiredService<IssueMaker>().MakeAsync(Slots[k - 1], CancellationToken.None)).Issue!.Id;
            Assert.Equal(counted, await FixedAsync(app, issue));
        }

        // Every chooser ends settled (the switcher after two issues of backlog).
        Assert.Equal(5, await ScalarAsync<long>(app, "SELECT COUNT(*) FROM SettledReaders"));
    }

    [Fact]
    public async Task AnErasedOrMergedReadersMarkGoesWithThem()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>(), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 3);
        await PublishAsync(admin, "C1", Coding);
        foreach (var reader in readers)
        {
            await ChooseAsync(admin, reader.Token, "weekly", "coding agents");
        }

        await MakeAsync(app, Slots[0], ("C1", Coding));
        var second = await MakeAsync(app, Slots[1], ("C2", Coding));
        Assert.Equal(3, await ScalarAsync<long>(app, $"SELECT COUNT(*) FROM SettledReaders WHERE UpToIssueId = {second}"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/subscribers/{readers[2].Email}")).StatusCode);
        Assert.Equal(0, await ScalarAsync<long>(app, $"SELECT COUNT(*) FROM SettledReaders WHERE SubscriberId = {readers[2].Id}"));

        // One mailbox in two rows (DuplicateReaders): the reader that stays gets the other's ledger, and neither keeps a mark.
        await app.WithDbAsync(async db =>
        {
            await new MergedReaderLedger().MergeAsync(db, readers[1].Id, readers[0].Id, CancellationToken.None);
            return 0;
        });
        Assert.Equal(0, await ScalarAsync<long>(app, "SELECT COUNT(*) FROM SettledReaders"));

        // Without a mark the next issue judges their whole history: still nothing twice.
        var third = await MakeAsync(app, Slots[2], ("C3", Coding));
        Assert.Equal(["C3"], await CarriedAsync(app, readers[0], third));
        Assert.Equal(third, await MarkAsync(app, readers[0]));
    }

    /// <summary>Publishes the comparisons (oldest first, in this order) and makes the slot's issue; returns its id.</summary>
    private async Task<long> MakeAsync(NewsletterApp app, string slot, params (string Title, string Category)[] comparisons)
    {
        var admin = app.CreateAdminClient();
        foreach (var (title, category) in comparisons)
        {
            await PublishAsync(admin, title, category);
        }

        var made = await app.Services.GetRequiredService<IssueMaker>().MakeAsync(slot, CancellationToken.None);
        Assert.True(made.Created);
        Assert.Equal(comparisons.Length, made.Issue!.Comparisons.Count);
        return made.Issue.Id;
    }

    /// <summary>
    /// A comparison titled and slugged <paramref name="title"/>, its tools in <paramref name="category"/>;
    /// each new one published later than the last, one published again keeps its time.
    /// </summary>
    private async Task PublishAsync(HttpClient admin, string title, string category)
    {
        var slug = "c-" + title.ToLowerInvariant();
        if (!_published.TryGetValue(slug, out var at))
        {
            at = _published[slug] = DateTimeOffset.UtcNow.AddDays(-20).AddMinutes(_published.Count + 1);
        }

        var node = SampleComparisons.With(slug, at, title);
        foreach (var tool in node["tools"]!.AsArray().OfType<JsonObject>())
        {
            tool["category"] = category;
        }

        (await admin.PutAsync($"/api/comparisons/{slug}", SampleComparisons.Content(node))).EnsureSuccessStatusCode();
    }

    /// <summary>Posts the preference form as the reader's browser would.</summary>
    private static async Task ChooseAsync(HttpClient client, string token, string frequency, params string[] topics)
    {
        var fields = new List<KeyValuePair<string, string>> { new("frequency", frequency), new("name", "") };
        fields.AddRange(topics.Select(t => new KeyValuePair<string, string>("topic", t)));
        (await client.PostAsync($"/preferences?token={token}", new FormUrlEncodedContent(fields))).EnsureSuccessStatusCode();
    }

    /// <summary>The titles one issue's mail carries to the reader, as the ledger fixed them, oldest first.</summary>
    private static Task<List<string>> CarriedAsync(NewsletterApp app, Reader reader, long issueId) =>
        app.WithDbAsync(db => (
            from l in db.Set<ReaderLedgerEntry>()
            join c in db.Comparisons on l.ComparisonId equals c.Id
            where l.SubscriberId == reader.Id && l.IssueId == issueId
            orderby c.PublishedAt, c.Id
            select c.Title).ToListAsync());

    /// <summary>The issue the reader is settled up to (0: no mark).</summary>
    private static Task<long> MarkAsync(NewsletterApp app, Reader reader) =>
        app.WithDbAsync(db => db.Set<SettledReader>().Where(m => m.SubscriberId == reader.Id).Select(m => m.UpToIssueId).SingleOrDefaultAsync());

    /// <summary>What the console counts for the slot: per selection (comparison ids, oldest first), how many readers.</summary>
    private static async Task<List<(string Selection, int Readers)>> CountAsync(NewsletterApp app, string slot)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var plan = await scope.ServiceProvider.GetRequiredService<DigestAssembler>().PlanAsync(CancellationToken.None);
        var counted = await scope.ServiceProvider.GetRequiredService<ReaderSelections>().CountAsync(db, slot, plan.Comparisons, CancellationToken.None);
        return [.. counted.OrderBy(c => c.Selection, StringComparer.Ordinal)];
    }

    /// <summary>What the issue fixed in the ledger, in the same shape as <see cref="CountAsync"/>.</summary>
    private static Task<List<(string Selection, int Readers)>> FixedAsync(NewsletterApp app, long issueId) =>
        app.WithDbAsync(async db =>
        {
            var rows = await (
                from l in db.Set<ReaderLedgerEntry>()
                join c in db.Comparisons on l.ComparisonId equals c.Id
                where l.IssueId == issueId
                select new { l.SubscriberId, c.Id, c.PublishedAt }).ToListAsync();
            return rows.GroupBy(r => r.SubscriberId)
                .Select(g => string.Join(',', g.OrderBy(r => r.PublishedAt).ThenBy(r => r.Id).Select(r => r.Id)))
                .GroupBy(s => s).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        });
}

/// <summary>The same marks on PostgreSQL.</summary>
public sealed class SettledSelectionOnPostgresTests : SettledSelectionTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
