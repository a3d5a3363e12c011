using System.Net;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// An editor's pause (POST /api/digests/{n}/pause) is in the database: a restarted app does not pick
/// the issue up again, and resume goes on from where the send stopped, nobody mailed twice.
/// </summary>
public sealed class PauseAcrossRestartTests
{
    private const int Readers = 40;

    [Fact]
    public async Task APausedSendStaysPausedAcrossARestartAndResumeFinishesIt()
    {
        var data = Directory.CreateTempSubdirectory("newsletter-pause-").FullName;
        try
        {
            // smtp-sink answering each DATA after a second: two connections send about two mails a second.
            await using var sink = await SmtpSink.StartAsync(dump: true, "-w", "1");
            var settings = DeliveryTestData.SmtpSettings(sink.Port, connections: 2);
            settings["ConnectionStrings:Newsletter"] = DeliveryTestData.ConnectionString(data);

            int sentAtPause;
            using (var first = new NewsletterApp(settings))
            {
                using var admin = first.CreateAdminClient();
                await DeliveryTestData.PublishAsync(admin, "pause-across-restart");
                await DeliveryTestData.AddReadersAsync(data, Readers);
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
            using (var second = new NewsletterApp(settings))
            {
                using var admin = second.CreateAdminClient();
                Assert.Equal("held", (await DeliveryTestData.IssueAsync(admin, 1))!.Status);

                // The restarted engine looks for work at once: over three sink delays a send it picked
                // up would deliver about six mails; a held issue gets none.
                await Task.Delay(TimeSpan.FromSeconds(3));
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
        }
    }
}
