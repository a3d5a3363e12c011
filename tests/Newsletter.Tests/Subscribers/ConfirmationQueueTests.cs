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
        Assert.Equal(HttpStatusCode.OK, (await SignupFixture.ConfirmAsync(client, confirm)).StatusCode);
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
            Assert.Equal(HttpStatusCode.OK, (await SignupFixture.ConfirmAsync(client, SignupFixture.ConfirmPath(mail))).StatusCode);
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

    [Fact]
    public async Task AWelcomeRefusedByTheServerAndOwedAcrossARestartGoesOutOnce()
    {
        var folder = Directory.CreateTempSubdirectory("newsletter-welcome-").FullName;
        var database = Provider == DatabaseProvider.Postgres
            ? PostgresServer.Shared.CreateDatabase()
            : $"Data Source={Path.Combine(folder, "newsletter.db")}";
        var port = SmtpSink.FreePort();
        var email = SignupFixture.NewAddress("welcome");
        var key = email.ToLowerInvariant();
        try
        {
            using (var before = new NewsletterApp(Settings(port, database), Provider))
            {
                var client = before.CreateClient();
                string confirm;
                await using (var sink = await SmtpSink.StartAsync(port, dump: true))
                {
                    await SubscribeAsync(client, email);
                    confirm = SignupFixture.ConfirmPath(Assert.Single(await sink.WaitForMessagesAsync(1)));
                }

                // The reader confirms while the server refuses everything: the welcome stays owed.
                await using var refusing = RefusingSmtpServer.Start(port);
                Assert.Equal(HttpStatusCode.OK, (await SignupFixture.ConfirmAsync(client, confirm)).StatusCode);
                await refusing.WaitForConnectionsAsync(2);
                var owed = await before.WithDbAsync(db => db.Subscribers.AsNoTracking().SingleAsync(s => s.EmailKey == key));
                Assert.NotNull(owed.WelcomeMailDueAt);
                Assert.True(owed.WelcomeMailAttempts >= 1, $"{owed.WelcomeMailAttempts} failed tries recorded");
            }

            // After the restart, with a server that takes mail: the welcome goes, once.
            await using var after = await SmtpSink.StartAsync(port, dump: true);
            using var restarted = new NewsletterApp(Settings(port, database), Provider);
            var restartedClient = restarted.CreateClient();
            var welcome = Assert.Single(await after.WaitForMessagesAsync(1, TimeSpan.FromSeconds(90)));
            Assert.Equal([email], welcome.Recipients);
            Assert.StartsWith("Welcome to ", welcome.Message.Subject, StringComparison.Ordinal);

            // Mails leave in order through one queue: once a later signup's confirmation is here, a second welcome would be too.
            var marker = SignupFixture.NewAddress("marker");
            await SubscribeAsync(restartedClient, marker);
            var mails = await after.WaitForMessagesAsync(2);
            Assert.Single(mails, m => m.Recipients.Contains(email));
            var sent = await restarted.WithDbAsync(db => db.Subscribers.AsNoTracking().SingleAsync(s => s.EmailKey == key));
            Assert.Null(sent.WelcomeMailDueAt);
            Assert.Equal(SubscriberStatus.Confirmed, sent.Status);
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
