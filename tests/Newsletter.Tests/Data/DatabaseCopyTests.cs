using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Data;

/// <summary>`database copy --to`: a SQLite list with a sent issue moves to PostgreSQL whole.</summary>
public sealed class DatabaseCopyTests
{
    /// <summary>The weekly digest trigger's next fire in Quartz's store, UTC ticks (unquoted names fold on both engines).</summary>
    private const string DigestNextFire = "SELECT NEXT_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'weekly-digest'";

    [Fact]
    public async Task AListWithASentIssueMovesToPostgresAndAnOldUnsubscribeLinkStillWorks()
    {
        using var sqlite = new NewsletterApp();
        var admin = sqlite.CreateAdminClient();
        var readers = await AddReadersAsync(sqlite.Folder, 30);
        await AddReadersAsync(sqlite.Folder, 3, "Unsubscribed", "gone");
        await PublishAsync(admin, "moved-verdict", "A verdict that moves");
        var send = await admin.PostAsync("/api/digests/send", null);
        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        var made = (await send.Content.ReadFromJsonAsync<IssueView>(SampleComparisons.Web))!;
        await WaitForIssueAsync(admin, made.Number, i => i.Status == "sent");

        // The link a reader has in their mail from before the move.
        var mail = await MimeMessage.LoadAsync(Directory.GetFiles(sqlite.Outbox, "*.eml").Order(StringComparer.Ordinal).First());
        var reader = readers.Single(r => r.Email == mail.To.Mailboxes.Single().Address);
        var link = new Uri(mail.Headers["List-Unsubscribe"]!.Split('<', '>')[1]);
        Assert.Contains(reader.Token, link.Query, StringComparison.Ordinal);

        var target = PostgresServer.Shared.CreateDatabase();
        try
        {
            var environment = CliProcess.IsolatedEnvironment(sqlite.Folder);
            var copy = await CliProcess.RunAsync(["database", "copy", "--to", target], environment);

            Assert.True(copy.ExitCode == 0, copy.Stderr);
            Assert.Contains("subscribers: 33 rows", copy.Stdout, StringComparison.Ordinal);
            Assert.Contains("deliveries: 30 rows", copy.Stdout, StringComparison.Ordinal);
            Assert.Contains("issuecomparisons: 1 rows", copy.Stdout, StringComparison.Ordinal);

            using var postgres = new NewsletterApp(new Dictionary<string, string?> { ["ConnectionStrings:Newsletter"] = target }, DatabaseProvider.Postgres);
            var client = postgres.CreateClient();

            var unsubscribe = await client.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

            Assert.Equal(HttpStatusCode.OK, unsubscribe.StatusCode);
            Assert.Equal(SubscriberStatus.Unsubscribed, await postgres.WithDbAsync(db =>
                db.Subscribers.Where(s => s.Id == reader.Id).Select(s => s.Status).SingleAsync()));

            // The issue with its deliveries and its web version (the snapshot taken when it was made).
            Assert.Equal(30, await postgres.WithDbAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
            var archive = await client.GetAsync($"/issues/{made.Number}");
            Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
            Assert.Contains("A verdict that moves", await archive.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A new reader gets the next id, not one a copied reader has.
            var signup = await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", "after-the-move@example.com")]));
            Assert.Equal(HttpStatusCode.OK, signup.StatusCode);
            Assert.True(await postgres.WithDbAsync(db => db.Subscribers.AnyAsync(s => s.EmailKey == "after-the-move@example.com" && s.Id > 33)));

            // The target is no longer empty: a second copy changes nothing and says why in one line.
            var again = await CliProcess.RunAsync(["database", "copy", "--to", target], environment);

            Assert.Equal(1, again.ExitCode);
            Assert.StartsWith("newsletter: database copy: the target database is not empty: ", again.Stderr.Trim().Split('\n')[^1], StringComparison.Ordinal);
            Assert.Equal(34, await postgres.WithDbAsync(db => db.Subscribers.CountAsync()));
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(target);
        }
    }

    [Fact]
    public async Task AFireThatFellDueDuringTheMoveIsSentOnceAfterIt()
    {
        // A daily schedule whose occurrence today came half a minute ago, while the list was moving.
        var fire = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30);
        var schedule = new Dictionary<string, string?>
        {
            ["Digest:Schedule"] = $"{fire.Second} {fire.Minute} {fire.Hour} * * ?",
            ["Digest:TimeZone"] = "UTC",
        };
        var folder = Directory.CreateTempSubdirectory("newsletter-copy-").FullName;
        var target = PostgresServer.Shared.CreateDatabase();
        try
        {
            // The SQLite worker ran on this schedule and was stopped for the move.
            using (var before = new NewsletterApp(new Dictionary<string, string?>(schedule) { ["ConnectionStrings:Newsletter"] = ConnectionString(folder) }))
            {
                var admin = before.CreateAdminClient();
                await AddReadersAsync(folder, 5);
                await PublishAsync(admin, "moved-schedule", "A verdict due during the move");
            }

            Assert.Equal((fire + TimeSpan.FromDays(1)).UtcTicks, await ScalarAsync<long>(folder, DigestNextFire));
            Assert.Equal(0, await ScalarAsync<int>(folder, "SELECT COUNT(*) FROM Issues"));

            // Stopped before today's fire: the store holds that fire as the trigger's next one.
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString(folder)))
            {
                await connection.OpenAsync();
                await using var update = Command(connection,
                    "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = @ticks WHERE TRIGGER_NAME = 'weekly-digest'", ("@ticks", fire.UtcTicks));
                Assert.Equal(1, await update.ExecuteNonQueryAsync());
            }

            var copy = await CliProcess.RunAsync(["database", "copy", "--to", target], CliProcess.IsolatedEnvironment(folder));

            Assert.True(copy.ExitCode == 0, copy.Stderr);
            Assert.Contains("qrtz_cron_triggers: 1 rows", copy.Stdout, StringComparison.Ordinal);

            using var postgres = new NewsletterApp(new Dictionary<string, string?>(schedule) { ["ConnectionStrings:Newsletter"] = target }, DatabaseProvider.Postgres);
            var editor = postgres.CreateAdminClient();

            // Caught up and sent, and the trigger at rest on tomorrow's fire: today's cannot come again.
            var issue = await WaitForIssueAsync(editor, 1, i => i.Status == "sent", TimeSpan.FromSeconds(30));
            await WaitUntilAsync(async () => await ScalarAsync<long>(postgres, DigestNextFire) > DateTimeOffset.UtcNow.UtcTicks
                && await ScalarAsync<long>(postgres, "SELECT COUNT(*) FROM qrtz_fired_triggers") == 0);

            Assert.Equal(SendSlots.Format(fire), issue.Slot);
            Assert.Contains("A verdict due during the move", issue.Subject, StringComparison.Ordinal);
            Assert.Equal(1, await ScalarAsync<int>(postgres, "SELECT COUNT(*) FROM issues"));
            var recipients = new List<string>();
            foreach (var file in Directory.GetFiles(postgres.Outbox, "*.eml"))
            {
                recipients.Add((await MimeMessage.LoadAsync(file)).To.Mailboxes.Single().Address);
            }

            Assert.Equal(5, recipients.Count);
            Assert.Equal(5, recipients.Distinct(StringComparer.Ordinal).Count());
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(target);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ADatabaseWithOtherTablesIsNotATarget()
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-copy-").FullName;
        var target = PostgresServer.Shared.CreateDatabase();
        try
        {
            await using (var connection = new Npgsql.NpgsqlConnection(target))
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand("CREATE TABLE invoices (id int)", connection);
                await command.ExecuteNonQueryAsync();
            }

            var copy = await CliProcess.RunAsync(["database", "copy", "--to", target], CliProcess.IsolatedEnvironment(folder));

            Assert.Equal(1, copy.ExitCode);
            Assert.Contains("newsletter: database copy: the target database is not empty: it holds other tables (invoices)", copy.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            PostgresServer.Shared.DropDatabase(target);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
