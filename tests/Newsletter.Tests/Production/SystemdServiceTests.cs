using System.Net;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Production;

/// <summary>
/// The published build as systemd runs it (Type=notify, StateDirectory=): started from a working
/// folder of its own with a NOTIFY_SOCKET this test owns, stopped with SIGTERM in the middle of a
/// send to a slow SMTP server, and started again.
/// </summary>
public sealed class SystemdServiceTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("newsletter-state-").FullName;
    private readonly string _work = Directory.CreateTempSubdirectory("newsletter-cwd-").FullName;

    [Fact]
    public async Task ReadyWhenServingStoppingOnSigtermMidSendAndTheRestartMissesNobody()
    {
        // As the unit sets it: relative data paths, resolved under $STATE_DIRECTORY.
        var env = PublishedBuild.Environment(_state);
        env["ConnectionStrings__Newsletter"] = "Data Source=newsletter.db";
        env["Smtp__PickupDirectory"] = "outbox";
        env["STATE_DIRECTORY"] = _state;
        var migrate = await PublishedBuild.RunAsync(["migrate"], env, _work);
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.True(File.Exists(Path.Combine(_state, "newsletter.db")), "the database is not under STATE_DIRECTORY");
        var readers = await AddReadersAsync(_state, 30);

        // Each DATA is answered after a second: two connections, about two mails a second.
        await using var slow = await SmtpSink.StartAsync("-w", "1");
        using var notify = new NotifySocket();
        env.WithSink(slow)["NOTIFY_SOCKET"] = notify.Path;
        await using (var first = await PublishedInstance.StartAsync(env, _work))
        {
            await notify.WaitForAsync("READY=1", TimeSpan.FromSeconds(90));

            // READY=1 means serving: migrated, and the web front answers at once.
            using var admin = first.CreateAdminClient();
            using (var health = await admin.GetAsync(new Uri("/health", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            Assert.DoesNotContain(notify.Received, r => r.Contains("STOPPING=1", StringComparison.Ordinal));
            (await admin.PostAsync(new Uri("/api/digests/send", UriKind.Relative), null)).EnsureSuccessStatusCode();
            await WaitUntilAsync(() => Task.FromResult(Accepted(slow).Count >= 4), TimeSpan.FromSeconds(60));

            Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(notify.Received, r => r.Split('\n').Contains("STOPPING=1"));

            // What journald stores: a level prefix on each line, no terminal colours.
            Assert.Contains("<6>Microsoft.Hosting.Lifetime", first.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b[", first.Log, StringComparison.Ordinal);
        }

        await slow.StopAsync();
        var beforeStop = Accepted(slow).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.InRange(beforeStop.Count, 4, readers.Count - 1);

        await using var fast = await SmtpSink.StartAsync();
        env.WithSink(fast).Remove("NOTIFY_SOCKET");
        await using var second = await PublishedInstance.StartAsync(env, _work);
        await second.WaitUntilHealthyAsync();
        using var admin2 = second.CreateAdminClient();
        var sent = await WaitForIssueAsync(admin2, 1, i => i.Status == "sent", TimeSpan.FromSeconds(120));

        Assert.Equal((30, 0, 0), (sent.Sent, sent.Failed, sent.Skipped));
        var all = beforeStop.Concat(await AcceptedBeforeMarkerAsync(fast)).ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), all.Distinct().Order());

        // A clean stop lets the mails on the wire finish or puts them back: at most those repeat.
        Assert.InRange(all.Count - readers.Count, 0, 2 * 2);
        Assert.Empty(Directory.GetFiles(_work));
        Assert.False(File.Exists(Path.Combine(await PublishedBuild.FolderAsync(), "newsletter.db")));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
        Directory.Delete(_work, recursive: true);
    }
}
