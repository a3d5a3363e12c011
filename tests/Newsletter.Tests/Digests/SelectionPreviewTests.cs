using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Digests;

/// <summary>
/// The console's "Who gets what" card on the next-digest page: per selection, how many readers
/// get which comparisons and how many get nothing, counted by the selection rule itself and
/// matched against the issue then made. Looking at it changes nothing (no issue, no ledger row).
/// </summary>
public class SelectionPreviewTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private const string Coding = "Coding agents";
    private const string Inference = "Inference platforms";

    [Fact]
    public async Task TheCardCountsWhatMakingTheIssueThenGivesAndChangesNothing()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>(), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 4);
        await PublishAsync(admin, "infer-a", "Inference A", Inference, days: 5);
        await PublishAsync(admin, "code-b", "Coding B", Coding, days: 4);
        await PublishAsync(admin, "plain-n", "Uncategorised N", null, days: 3);
        await ChooseAsync(admin, readers[0].Token, "coding agents");
        await ChooseAsync(admin, readers[1].Token, "inference platforms");

        var card = await CardAsync(admin);

        Assert.Equal(("4", "0"), (card.Something, card.Nothing));
        Assert.Equal(
            [("2", "the whole issue: Inference A · Coding B · Uncategorised N"), ("1", "Coding B · Uncategorised N"), ("1", "Inference A · Uncategorised N")],
            card.Rows);

        // Looking changed nothing: no issue, no ledger row.
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Issues"));
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM ReaderLedger"));

        // The issue made then goes to as many readers as the card said, each chooser's ledger as it said.
        var first = await app.Services.GetRequiredService<IssueMaker>().MakeAsync("2026-12-07T09:00:00Z", CancellationToken.None);
        Assert.Equal(4, first.Recipients);
        Assert.Equal(2, await ScalarAsync<int>(app, $"SELECT COUNT(*) FROM ReaderLedger WHERE SubscriberId = {readers[0].Id}"));
        Assert.Equal(2, await ScalarAsync<int>(app, $"SELECT COUNT(*) FROM ReaderLedger WHERE SubscriberId = {readers[1].Id}"));

        // Next time only a coding comparison is new: the inference reader gets nothing.
        await PublishAsync(admin, "code-c", "Coding C", Coding, days: 1);
        card = await CardAsync(admin);

        Assert.Equal(("3", "1"), (card.Something, card.Nothing));
        Assert.Equal([("2", "the whole issue: Coding C"), ("1", "Coding C")], card.Rows);
        var second = await app.Services.GetRequiredService<IssueMaker>().MakeAsync("2026-12-14T09:00:00Z", CancellationToken.None);
        Assert.Equal(3, second.Recipients);
    }

    private static async Task<(string Something, string Nothing, List<(string Readers, string Carries)> Rows)> CardAsync(HttpClient admin)
    {
        var document = await new HtmlParser().ParseDocumentAsync(await admin.GetStringAsync("/admin"));
        var card = document.QuerySelector(".card.selections")!;
        Assert.Contains("Who gets what", card.TextContent, StringComparison.Ordinal);
        var rows = card.QuerySelectorAll("table.selection-counts tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())
            .Select(cells => (cells[0], cells[1])).ToList();
        return (card.QuerySelector(".get-something")!.TextContent, card.QuerySelector(".nothing-for-them")!.TextContent, rows);
    }

    private static async Task PublishAsync(HttpClient admin, string slug, string title, string? category, int days)
    {
        var node = SampleComparisons.With(slug, DateTimeOffset.UtcNow.AddDays(-days), title);
        foreach (var tool in node["tools"]!.AsArray().OfType<JsonObject>())
        {
            if (category is null)
            {
                tool.Remove("category");
            }
            else
            {
                tool["category"] = category;
            }
        }

        (await admin.PutAsync($"/api/comparisons/{slug}", SampleComparisons.Content(node))).EnsureSuccessStatusCode();
    }

    private static async Task ChooseAsync(HttpClient client, string token, params string[] topics)
    {
        var fields = new List<KeyValuePair<string, string>> { new("frequency", "weekly"), new("name", "") };
        fields.AddRange(topics.Select(t => new KeyValuePair<string, string>("topic", t)));
        (await client.PostAsync($"/preferences?token={token}", new FormUrlEncodedContent(fields))).EnsureSuccessStatusCode();
    }
}

/// <summary>The same card on PostgreSQL.</summary>
public sealed class SelectionPreviewOnPostgresTests : SelectionPreviewTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
