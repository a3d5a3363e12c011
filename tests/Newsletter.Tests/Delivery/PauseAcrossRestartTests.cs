using System.Net;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// An editor's pause (POST /api/digests/{n}/pause) is in the database: a restarted app does not pick
/// the issue up again, and resume goes on from where the send stopped, nobody mailed twice.
/// </summary>
public class PauseAcrossRestartTests
{
    private const int Readers = 40;

    /// <summary>The database both apps share (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task APausedSendStaysPausedAcrossARestartAndResumeFinishesIt()
    {
        var data = Directory.CreateTempSubdirectory("newsletter-pause-").FullName;
        var connection = Provider == DatabaseProvider.Postgres ? PostgresServer.Shared.CreateDatabase() : DeliveryTestData.ConnectionString(data);
        try
        {
            // smtp-sink answering each DATA after a second: two connections send about two mails a second.
            await using var sink = await SmtpSink.StartAsync(dump: true, "-w", "1");
            var settings = DeliveryTestData.SmtpSettings(sink.Port, connections: 2);
            settings["ConnectionStrings:Newsletter"] = connection;

            int sentAtPause;
            using (var first = new NewsletterApp(settings, Provider))
            {
                using var admin = first.CreateAdminClient();
                await DeliveryTestData.PublishAsync(admin, "pause-across-restart");
                await DeliveryTestData.AddReadersAsync(first, Readers);
                Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/digests/send", null)).StatusCode);
                await DeliveryTestData.WaitForIssueAsync(admin, 1, v => v.Sent > 0);

                Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/digests/1/pause", null)).StatusCode);
                var held = await DeliveryTestData.WaitForIssueAsync(admin, 1, v => v.Status == "held" && v.Sending == 0);
                sentAtPause = held.Sent;
                Assert.InRange(sentAtPause, 1, Readers - 1);
                Assert.Equal("Paused by an editor", held.PauseReason);
                Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/digests/1/pause", null)).StatusCode);
            }

            await sink.WaitForMessagesAsync(sentAtPause);
            using (var second = new NewsletterApp(settings, Provider))
            {
                using var admin = second.CreateAdminClient();
                Assert.Equal("held", (await DeliveryTestData.IssueAsync(admin, 1))!.Status);

                // The restarted engine looks for work at once and says it passed over the held issue
                // (an engine that picked it up would be sending it instead): the sink got nothing more.
                await DeliveryTestData.WaitForHeldIssuePassedOverAsync(second, 1);
                Assert.Equal(sentAtPause, sink.Messages().Count);
                var still = (await DeliveryTestData.IssueAsync(admin, 1))!;
                Assert.Equal(("held", sentAtPause), (still.Status, still.Sent));

                Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/digests/1/resume", null)).StatusCode);
                var sent = await DeliveryTestData.WaitForIssueAsync(admin, 1, v => v.Status == "sent", TimeSpan.FromSeconds(120));
                Assert.Equal(Readers, sent.Sent);
                Assert.Null(sent.PauseReason);
                Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/digests/1/resume", null)).StatusCode);
            }

            var recipients = (await sink.WaitForMessagesAsync(Readers)).SelectMany(m => m.Recipients).ToList();
            Assert.Equal(Readers, recipients.Count);
            Assert.Equal(Readers, recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
            if (Provider == DatabaseProvider.Postgres)
            {
                PostgresServer.Shared.DropDatabase(connection);
            }
        }
    }
}

/// <summary>The same pause and restart on PostgreSQL.</summary>
public sealed class PauseAcrossRestartOnPostgresTests : PauseAcrossRestartTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
