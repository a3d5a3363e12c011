using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Issue 27.6: before address keys were canonical, idn1@bücher.example and IDN1@xn--bcher-kva.example
/// were two readers of one mailbox, and it got every issue twice. The next start makes them one
/// reader: one mail per issue from then on, the status that stops the most mail, the earliest
/// consent, one vote per tool, and the duplicate's old unsubscribe link still works.
/// </summary>
public class DuplicateReaderTests
{
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task RowsThatAreOneMailboxBecomeOneReaderAtStartAndTheMailboxGetsTheNextIssueOnce()
    {
        await using var sink = await SmtpSink.StartAsync();
        var folder = Directory.CreateTempSubdirectory("newsletter-dupes-").FullName;
        using var database = new TestDatabase(Provider, folder);
        var settings = SmtpSettings(sink.Port);
        settings["ConnectionStrings:Newsletter"] = database.ConnectionString;
        settings["Digest:Schedule"] = "* * * * * ?"; // a slot a second: the second issue is not refused as the same slot's

        long kept, duplicate, stopped, stoppedDuplicate;
        var others = new List<Reader>();
        using (var before = new NewsletterApp(settings, Provider))
        {
            var admin = before.CreateAdminClient();
            others = await AddReadersAsync(before, 3);

            // Rows as an older version kept them: the key was the address lowercased, nothing more.
            kept = await AddOldRowAsync(before, "idn1@bücher.example", "Confirmed", consentDaysAgo: 30, "token-kept-000000000000");
            duplicate = await AddOldRowAsync(before, "IDN1@xn--bcher-kva.example", "Confirmed", consentDaysAgo: 90, "token-duplicate-0000000");
            stopped = await AddOldRowAsync(before, "éva@bücher.example", "Confirmed", consentDaysAgo: 10, "token-stopped-000000000");
            stoppedDuplicate = await AddOldRowAsync(before, "e\u0301va@xn--bcher-kva.example", "Unsubscribed", consentDaysAgo: 20, "token-stopped-dup-00000");
            await PublishAsync(admin, "first-verdict");

            // Both rows voted on the same tool; the later vote (the duplicate's) is the mailbox's.
            var comparison = await ScalarAsync<long>(before, "SELECT MIN(Id) FROM Comparisons");
            await ScalarAsync<long>(before, $"""
                INSERT INTO Votes (ComparisonId, Tool, SubscriberId, Ship, VotedAt) VALUES
                ({comparison}, 'Cursor', {kept}, {Bool(true)}, 1000), ({comparison}, 'Cursor', {duplicate}, {Bool(false)}, 2000) RETURNING Id
                """);

            await admin.PostAsync("/api/digests/send", null);
            await WaitForIssueAsync(admin, 1, i => i.Status == "sent");

            // smtp-sink takes no non-ASCII local part (no SMTPUTF8): éva's delivery fails, the rest arrive.
            var first = (await MailsBeforeMarkerAsync(sink, 5)).Select(m => Assert.Single(m.Recipients)).ToList();
            Assert.Equal(2, first.Count(r => r.Equals("idn1@xn--bcher-kva.example", StringComparison.OrdinalIgnoreCase)));
        }

        sink.Clear();
        using var after = new NewsletterApp(settings, Provider);
        var console = after.CreateAdminClient();

        var rows = await ReadersAsync(after);
        Assert.DoesNotContain(rows, r => r.Id == duplicate || r.Id == stoppedDuplicate);
        var merged = Assert.Single(rows, r => r.Id == kept);
        Assert.Equal(("idn1@xn--bcher-kva.example", "Confirmed"), (merged.Key, merged.Status));
        Assert.Equal(await ConsentAsync(after, kept), DateTimeOffset.UnixEpoch.AddDays(1000 - 90).ToUnixTimeMilliseconds());
        var eva = Assert.Single(rows, r => r.Id == stopped);
        Assert.Equal("Unsubscribed", eva.Status);

        Assert.Equal(1, await ScalarAsync<long>(after, $"SELECT COUNT(*) FROM Votes WHERE SubscriberId = {kept}"));
        Assert.Equal(0, await ScalarAsync<long>(after, $"SELECT COUNT(*) FROM Votes WHERE SubscriberId = {kept} AND Ship = {Bool(true)}"));

        // One delivery of issue 1 per mailbox, kept as sent.
        var issueOne = (await DeliveriesAsync(after)).Where(d => d.SubscriberId == kept).ToList();
        Assert.Equal("Sent", Assert.Single(issueOne).Status);

        await PublishAsync(console, "second-verdict");
        await console.PostAsync("/api/digests/send", null);
        var done = await WaitForIssueAsync(console, 2, i => i.Status == "sent");
        Assert.Equal(4, done.Sent);
        var second = (await MailsBeforeMarkerAsync(sink, 4)).Select(m => Assert.Single(m.Recipients)).Order().ToList();
        Assert.Equal(others.Select(o => o.Email).Append("idn1@xn--bcher-kva.example").Order(), second);

        // The duplicate's one-click unsubscribe, from a mail it was sent before the merge, still works.
        using var web = after.CreateClient();
        var click = await web.PostAsync("/unsubscribe?token=token-duplicate-0000000",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.True(click.IsSuccessStatusCode, $"{(int)click.StatusCode}");
        Assert.Equal("Unsubscribed", Assert.Single(await ReadersAsync(after), r => r.Id == kept).Status);
    }

    private static string Bool(bool value) => value ? "TRUE" : "FALSE";

    private static Task<long> AddOldRowAsync(NewsletterApp app, string email, string status, int consentDaysAgo, string token)
    {
        var consent = DateTimeOffset.UnixEpoch.AddDays(1000 - consentDaysAgo).ToUnixTimeMilliseconds();
        var domainLowered = email[..email.LastIndexOf('@')] + email[email.LastIndexOf('@')..].ToLowerInvariant();
        return ScalarAsync<long>(app, $"""
            INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, ConsentAt, ConsentSource, UnsubscribeToken, SoftBounceCount, ConfirmationMailAttempts)
            VALUES ('{domainLowered}', '{email.ToLowerInvariant()}', NULL, '{status}', {consent}, {consent}, 'signup', '{token}', 0, 0) RETURNING Id
            """);
    }

    private static Task<long> ConsentAsync(NewsletterApp app, long id) => ScalarAsync<long>(app, $"SELECT ConsentAt FROM Subscribers WHERE Id = {id}");

    private static async Task<List<(long Id, string Key, string Status)>> ReadersAsync(NewsletterApp app)
    {
        await using var connection = await OpenAsync(app);
        await using var command = Command(connection, "SELECT Id, EmailKey, Status FROM Subscribers ORDER BY Id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }
}

/// <summary>The same merge on PostgreSQL.</summary>
public sealed class DuplicateReaderOnPostgresTests : DuplicateReaderTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
