using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Digests;

/// <summary>
/// Readers' choices through real sends to smtp-sink: the preference form sets them, issues are made
/// for real slots, and each reader's mails say what they got. One issue stays one issue; each
/// reader's mail carries what their topics and frequency select, never a comparison twice.
/// </summary>
public class ReaderChoicesSendTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private const string Coding = "Coding agents";
    private const string Inference = "Inference platforms";

    [Fact]
    public async Task ATopicReaderGetsOnlyMatchingComparisonsAndAChangeBetweenIssuesNeitherLosesNorRepeatsOne()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(SmtpSettings(sink.Port), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 3);
        var topicReader = readers[0];
        await PublishAsync(admin, "infer-a", "Inference A", Inference, days: 5);
        await PublishAsync(admin, "code-b", "Coding B", Coding, days: 4);
        await PublishAsync(admin, "plain-n", "Uncategorised N", null, days: 3);
        await ChooseAsync(admin, topicReader.Token, "weekly", "coding agents");

        var first = await SendAsync(app, admin, sink, "2026-12-07T09:00:00Z", expectedMails: 3);

        // The defaults get the whole issue; the topic reader the coding one and the one for everyone.
        Assert.Equal(["Inference A", "Coding B", "Uncategorised N"], Titles(first[readers[1].Email]));
        Assert.Equal(["Coding B", "Uncategorised N"], Titles(first[topicReader.Email]));
        Assert.Contains("Coding B", first[topicReader.Email].Subject, StringComparison.Ordinal);
        Assert.Contains("Inference A", first[readers[1].Email].Subject, StringComparison.Ordinal);

        // Every mail links the reader's own preference page, beside the unsubscribe link.
        var preferences = $"https://verdicts.example.com/preferences?token={topicReader.Token}";
        Assert.Contains(preferences, first[topicReader.Email].TextBody, StringComparison.Ordinal);
        Assert.Contains(preferences, first[topicReader.Email].HtmlBody, StringComparison.Ordinal);

        // Between issues the reader swaps coding for inference.
        await ChooseAsync(admin, topicReader.Token, "weekly", "inference platforms");
        await PublishAsync(admin, "code-c", "Coding C", Coding, days: 2);
        await PublishAsync(admin, "infer-d", "Inference D", Inference, days: 1);

        var second = await SendAsync(app, admin, sink, "2026-12-14T09:00:00Z", expectedMails: 3);

        Assert.Equal(["Coding C", "Inference D"], Titles(second[readers[2].Email]));

        // Inference A, which the old choice left out, now comes; nothing they had comes again.
        Assert.Equal(["Inference A", "Inference D"], Titles(second[topicReader.Email]));
        Assert.Contains("Inference A", second[topicReader.Email].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMonthlyReaderGetsNothingMidMonthAndEverythingAtTheMonthsFirstIssue()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(SmtpSettings(sink.Port), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 2);
        var monthly = readers[0];
        await ChooseAsync(admin, monthly.Token, "monthly");

        // The first issue of December serves them.
        await PublishAsync(admin, "dec-1", "December one", Coding, days: 9);
        var first = await SendAsync(app, admin, sink, "2026-12-07T09:00:00Z", expectedMails: 2);
        Assert.Equal(["December one"], Titles(first[monthly.Email]));

        // Mid-month: nothing for them (no mail, no delivery), the weekly reader gets the issue.
        await PublishAsync(admin, "dec-2", "December two", Coding, days: 8);
        var second = await SendAsync(app, admin, sink, "2026-12-14T09:00:00Z", expectedMails: 1);
        Assert.False(second.ContainsKey(monthly.Email));
        Assert.Equal(1, await ScalarAsync<int>(app, "SELECT RecipientCount FROM Issues WHERE Number = 2"));

        await PublishAsync(admin, "dec-3", "December three", Inference, days: 7);
        await SendAsync(app, admin, sink, "2026-12-21T09:00:00Z", expectedMails: 1);

        // January's first slot, with nothing new: the issue is still made, for the monthly reader
        // only (Digest:SendWhenEmpty is off, so the weekly reader gets nothing), oldest first.
        var january = await SendAsync(app, admin, sink, "2027-01-04T09:00:00Z", expectedMails: 1);
        Assert.Equal(["December two", "December three"], Titles(january[monthly.Email]));
        Assert.Contains("December two", january[monthly.Email].Subject, StringComparison.Ordinal);

        // And the month's later issues leave them alone again.
        await PublishAsync(admin, "jan-1", "January one", Coding, days: 1);
        var later = await SendAsync(app, admin, sink, "2027-01-11T09:00:00Z", expectedMails: 1);
        Assert.Equal(["January one"], Titles(later[readers[1].Email]));
    }

    [Fact]
    public async Task AChangeAfterTheIssueIsMadeDoesNotChangeWhatItsMailCarries()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = new NewsletterApp(SmtpSettings(sink.Port), Provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 40);
        var topicReader = readers[^1];
        await PublishAsync(admin, "infer-a", "Inference A", Inference, days: 3);
        await PublishAsync(admin, "code-b", "Coding B", Coding, days: 2);
        await ChooseAsync(admin, topicReader.Token, "weekly", "coding agents");

        // The issue is made (its selections fixed), then the reader changes topics while it is sent.
        var made = await app.Services.GetRequiredService<IssueMaker>().MakeAsync("2026-12-07T09:00:00Z", CancellationToken.None);
        app.Services.GetRequiredService<DeliveryEngine>().Wake();
        await ChooseAsync(admin, topicReader.Token, "weekly", "inference platforms");
        await WaitForIssueAsync(admin, made.Issue!.Number, i => i.Status == "sent");
        var mails = ByRecipient(await sink.WaitForMessagesAsync(40));

        Assert.Equal(["Coding B"], Titles(mails[topicReader.Email]));

        // The next issue carries the inference comparison the change now selects, once.
        sink.Clear();
        await PublishAsync(admin, "code-c", "Coding C", Coding, days: 1);
        var next = await SendAsync(app, admin, sink, "2026-12-14T09:00:00Z", expectedMails: 40);
        Assert.Equal(["Inference A"], Titles(next[topicReader.Email]));
    }

    /// <summary>Makes the slot's issue, lets the app's engine send it, and returns each recipient's mail.</summary>
    private static async Task<Dictionary<string, MimeKit.MimeMessage>> SendAsync(
        NewsletterApp app, HttpClient admin, SmtpSink sink, string slot, int expectedMails)
    {
        sink.Clear();
        var made = await app.Services.GetRequiredService<IssueMaker>().MakeAsync(slot, CancellationToken.None);
        Assert.NotNull(made.Issue);
        Assert.Equal(expectedMails, made.Recipients);
        app.Services.GetRequiredService<DeliveryEngine>().Wake();
        await WaitForIssueAsync(admin, made.Issue.Number, i => i.Status == "sent");
        var mails = await sink.WaitForMessagesAsync(expectedMails);
        await Task.Delay(300);
        Assert.Equal(expectedMails, sink.Messages().Count);
        return ByRecipient(mails);
    }

    private static Dictionary<string, MimeKit.MimeMessage> ByRecipient(IReadOnlyList<ReceivedMail> mails) =>
        mails.ToDictionary(m => Assert.Single(m.Recipients), m => m.Message);

    /// <summary>The comparisons a mail carries, in its order, read from its text body's headings.</summary>
    private static List<string> Titles(MimeKit.MimeMessage mail)
    {
        string[] known = ["Inference A", "Coding B", "Uncategorised N", "Coding C", "Inference D", "December one", "December two", "December three", "January one"];
        var text = mail.TextBody ?? "";
        return [.. known.Where(t => text.Contains(t, StringComparison.Ordinal)).OrderBy(t => text.IndexOf(t, StringComparison.Ordinal))];
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

        var response = await admin.PutAsync($"/api/comparisons/{slug}", SampleComparisons.Content(node));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts the preference form as the reader's browser would.</summary>
    private static async Task ChooseAsync(HttpClient client, string token, string frequency, params string[] topics)
    {
        var fields = new List<KeyValuePair<string, string>> { new("frequency", frequency), new("name", "") };
        fields.AddRange(topics.Select(t => new KeyValuePair<string, string>("topic", t)));
        var response = await client.PostAsync($"/preferences?token={token}", new FormUrlEncodedContent(fields));
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>The same sends on PostgreSQL.</summary>
public sealed class ReaderChoicesSendOnPostgresTests : ReaderChoicesSendTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
