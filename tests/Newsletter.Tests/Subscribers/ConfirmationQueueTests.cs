using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Confirmation mails wait in the database until an SMTP server takes them: a server that refuses
/// for a while, or a restart of the app in between, delays the mail but never loses it.
/// </summary>
public class ConfirmationQueueTests
{
    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <param name="database">A connection string: an existing database both apps of a restart use.</param>
    private static Dictionary<string, string?> Settings(int port, string? database = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Subscribers:SignupsPerMinutePerIp"] = "100000",
            ["Subscribers:ConfirmationRetrySeconds"] = "1",
        };
        if (database is not null)
        {
            settings["ConnectionStrings:Newsletter"] = database;
        }

        return settings;
    }

    private static async Task SubscribeAsync(HttpClient client, string email) =>
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/subscribe", new FormUrlEncodedContent([new("email", email)]))).StatusCode);

    [Fact]
    public async Task MailsRefusedByTheServerArriveOnceItTakesMailAgain()
    {
        var port = SmtpSink.FreePort();
        var emails = Enumerable.Range(0, 20).Select(i => SignupFixture.NewAddress("refused" + i)).ToList();
        using var app = new NewsletterApp(Settings(port), Provider);
        var client = app.CreateClient();

        await using (var refusing = RefusingSmtpServer.Start(port))
        {
            foreach (var email in emails)
            {
                await SubscribeAsync(client, email);
            }

            // Every mail was tried and some again: the server refused them all.
            await refusing.WaitForConnectionsAsync(emails.Count + 1);
        }

        // Nothing went out, so nothing blocks a resend.
        var keys = emails.Select(e => e.ToLowerInvariant()).ToList();
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscribers.CountAsync(s => keys.Contains(s.EmailKey) && s.ConfirmationSentAt != null)));

        await using var sink = await SmtpSink.StartAsync(port, dump: true);
        var mails = await sink.WaitForMessagesAsync(emails.Count, TimeSpan.FromSeconds(90));

        Assert.Equal(emails.Order(StringComparer.Ordinal), mails.SelectMany(m => m.Recipients).Order(StringComparer.Ordinal));
        var confirm = SignupFixture.ConfirmPath(mails.First(m => m.Recipients.Contains(emails[0])));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(confirm)).StatusCode);
    }

    [Fact]
    public async Task AMailOwedWhenTheAppStopsGoesOutAfterTheRestart()
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-restart-").FullName;
        var database = Provider == DatabaseProvider.Postgres
            ? PostgresServer.Shared.CreateDatabase()
            : $"Data Source={Path.Combine(folder, "newsletter.db")}";
        var port = SmtpSink.FreePort();
        var email = SignupFixture.NewAddress("restart");
        try
        {
            await using (var refusing = RefusingSmtpServer.Start(port))
            {
                using var before = new NewsletterApp(Settings(port, database), Provider);
                await SubscribeAsync(before.CreateClient(), email);
                await refusing.WaitForConnectionsAsync(1);
            }

            await using var sink = await SmtpSink.StartAsync(port, dump: true);
            using var after = new NewsletterApp(Settings(port, database), Provider);
            var client = after.CreateClient();

            var mail = Assert.Single(await sink.WaitForMessagesAsync(1));
            Assert.Equal([email], mail.Recipients);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(SignupFixture.ConfirmPath(mail))).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            if (Provider == DatabaseProvider.Postgres)
            {
                PostgresServer.Shared.DropDatabase(database);
            }
        }
    }
}

/// <summary>The same mails owed on PostgreSQL.</summary>
public sealed class ConfirmationQueueOnPostgresTests : ConfirmationQueueTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
