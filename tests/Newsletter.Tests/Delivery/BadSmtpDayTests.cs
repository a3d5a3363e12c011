using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// The send against a real server having a bad day: soft refusals for a while, some recipients
/// refused for good, a server that vanishes mid-send, a server that is down when the send starts.
/// smtp-sink's faults hold for its whole life, so "for a while" is a faulty sink replaced by a
/// healthy one on the same port.
/// </summary>
public class BadSmtpDayTests
{
    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private NewsletterApp NewApp(Dictionary<string, string?>? settings = null) => new(settings, Provider);

    [Theory]
    [InlineData("-r", "RCPT")] // 450 to every recipient
    [InlineData("-Q", "MAIL")] // 421 and the connection closed at every mail
    public async Task TemporaryRefusalsForAWhileEndWithEveryoneSentAndNobodyFailed(string option, string command)
    {
        var faulty = await SmtpSink.StartAsync(option, command);
        using var app = NewApp(SmtpSettings(faulty.Port));
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 40);
        await PublishAsync(admin, "soft-verdict");

        await admin.PostAsync("/api/digests/send", null);
        await WaitUntilAsync(async () => await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Attempts > 0") >= 5);
        await faulty.StopAsync();
        await using var healthy = await SmtpSink.StartAsync(faulty.Port, dump: true);
        await faulty.DisposeAsync();

        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        Assert.Equal((40, 0), (done.Sent, done.Failed));
        var received = (await healthy.WaitForMessagesAsync(40)).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), received.Order());
        var rows = await DeliveriesAsync(app);
        Assert.Contains(rows, r => r.Attempts > 1 && r.LastError is null);
    }

    [Fact]
    public async Task RecipientsRefusedFor550FailAndBounceWhileTheSendGoesOn()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var proxy = new RejectingSmtpProxy(sink.Port, address => address.StartsWith("nobody", StringComparison.Ordinal));
        using var app = NewApp(SmtpSettings(proxy.Port, connections: 2));
        var admin = app.CreateAdminClient();
        var good = await AddReadersAsync(app, 25, prefix: "somebody");
        var refused = await AddReadersAsync(app, 5, prefix: "nobody");
        await PublishAsync(admin, "hard-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");

        Assert.Equal((25, 5, 0), (done.Sent, done.Failed, done.Skipped));
        var received = (await sink.WaitForMessagesAsync(25)).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(good.Select(r => r.Email).Order(), received.Order());
        var failed = (await DeliveriesAsync(app)).Where(r => r.Status == "Failed").ToList();
        Assert.Equal(refused.Select(r => (long?)r.Id).Order(), failed.Select(f => f.SubscriberId).Order());
        Assert.All(failed, f => Assert.Contains("550", f.LastError, StringComparison.Ordinal));
        Assert.All(failed, f => Assert.Equal(1, f.Attempts));
        Assert.Equal(5, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status = 'Bounced' AND BouncedAt IS NOT NULL"));
        Assert.Equal(25, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status = 'Confirmed'"));
    }

    [Fact]
    public async Task AServerThatVanishesMidSendPausesTheIssueWhichResumesWithoutSpendingAttempts()
    {
        // -w 1: every DATA is answered after a second, so the send is still running when the server dies.
        var slow = await SmtpSink.StartAsync("-w", "1");
        using var app = NewApp(SmtpSettings(slow.Port, connections: 4));
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 24);
        await PublishAsync(admin, "vanishing-verdict");

        await admin.PostAsync("/api/digests/send", null);
        await WaitForFilesAsync(slow, 4);
        await slow.StopAsync();
        var paused = await WaitForIssueAsync(admin, 1, i => i.Status == "paused");
        Assert.NotNull(paused.ResumeAt);
        Assert.True(paused.Sent < 24);

        await using var back = await SmtpSink.StartAsync(slow.Port, dump: true);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");

        Assert.Equal((24, 0), (done.Sent, done.Failed));
        var received = Accepted(slow).Concat(back.Messages()).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), received.Distinct().Order());
        Assert.All(await DeliveriesAsync(app), r => Assert.Equal(1, r.Attempts));
        await slow.DisposeAsync();
    }

    [Fact]
    public async Task AServerDownAtTheStartPausesAndWhoUnsubscribesMeanwhileIsSkipped()
    {
        var port = SmtpSink.FreePort();
        using var app = NewApp(SmtpSettings(port));
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 10);
        await PublishAsync(admin, "patient-verdict");

        await admin.PostAsync("/api/digests/send", null);
        await WaitForIssueAsync(admin, 1, i => i.Status == "paused");
        var leaver = readers[3];
        await ScalarAsync<long>(app, $"UPDATE Subscribers SET Status = 'Unsubscribed' WHERE Id = {leaver.Id} RETURNING Id");
        await using var sink = await SmtpSink.StartAsync(port, dump: true);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");

        Assert.Equal((9, 0, 1), (done.Sent, done.Failed, done.Skipped));
        var received = (await sink.WaitForMessagesAsync(9)).Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(readers.Where(r => r != leaver).Select(r => r.Email).Order(), received.Order());
        var rows = await DeliveriesAsync(app);
        Assert.Equal("Skipped", rows.Single(r => r.SubscriberId == leaver.Id).Status);
        Assert.All(rows.Where(r => r.Status == "Sent"), r => Assert.Equal(1, r.Attempts));
    }
}

/// <summary>The same bad day on PostgreSQL, through its delivery store.</summary>
public sealed class BadSmtpDayOnPostgresTests : BadSmtpDayTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
