using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// Permanent refusals read as a user would want them read: a server that refuses everyone pauses the
/// send and bounces nobody; a refusal about one address bounces that reader only; an address the
/// server cannot carry fails that delivery and nothing else.
/// </summary>
public class RefusalTests
{
    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private NewsletterApp NewApp(Dictionary<string, string?>? settings = null) => new(settings, Provider);

    [Fact]
    public async Task AServerThatRefusesEveryRecipientPausesTheIssueBouncesNobodyAndTheQueueGoesOutLater()
    {
        // -f RCPT: "500 5.3.0 Error: command failed" to every recipient (a relay that denies us looks the same).
        var refusing = await SmtpSink.StartAsync("-f", "RCPT");
        using var app = NewApp(SmtpSettings(refusing.Port));
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 300);
        await PublishAsync(admin, "refused-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var paused = await WaitForIssueAsync(admin, 1, i => i.Status == "paused", TimeSpan.FromSeconds(60));

        Assert.Contains("refused permanently", paused.PauseReason, StringComparison.Ordinal);
        Assert.Contains("5.3.0", paused.PauseReason, StringComparison.Ordinal);
        Assert.Equal((0, 0), (paused.Sent, paused.Failed));
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status <> 'Confirmed'"));
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Failed' OR Attempts > 0"));

        await refusing.StopAsync();
        await using var healthy = await SmtpSink.StartAsync(refusing.Port, dump: true);
        await refusing.DisposeAsync();
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(90));

        Assert.Equal((300, 0, 0), (done.Sent, done.Failed, done.Skipped));
        Assert.Null(done.PauseReason);
        var received = (await MailsBeforeMarkerAsync(healthy, 300)).Select(m => Assert.Single(m.Recipients)).Order();
        Assert.Equal(readers.Select(r => r.Email).Order(), received);
    }

    [Fact]
    public async Task ARelayThatCallsEveryReaderAtEveryDomainUnknownPausesTheIssueBouncesNobodyAndDeliversToAllOnceHealthy()
    {
        // Issue 27: a relay whose virtual table is wrong answers "550 5.1.1 … User unknown" to every RCPT.
        await using var sink = await SmtpSink.StartAsync(dump: true);
        var broken = 1;
        await using var relay = new RejectingSmtpProxy(sink.Port, _ => Volatile.Read(ref broken) == 1,
            "550 5.1.1 <{0}>: Recipient address rejected: User unknown in virtual mailbox table");
        using var app = NewApp(SmtpSettings(relay.Port));
        var admin = app.CreateAdminClient();
        var readers = new List<string>();
        for (var i = 0; i < 500; i++)
        {
            var email = $"reader{i:D3}@domain{i % 60:D2}.example";
            await AddReaderAsync(app, email);
            readers.Add(email);
        }

        await PublishAsync(admin, "relay-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var paused = await WaitForIssueAsync(admin, 1, i => i.Status == "paused", TimeSpan.FromSeconds(60));

        Assert.Contains("relay", paused.PauseReason, StringComparison.Ordinal);
        Assert.Contains("nobody was bounced", paused.PauseReason, StringComparison.Ordinal);
        Assert.Contains("virtual mailbox table", paused.PauseReason, StringComparison.Ordinal);
        Assert.Equal((0, 0), (paused.Sent, paused.Failed));
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status <> 'Confirmed'"));
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Failed' OR Attempts > 0"));
        Assert.True(await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE FailureReason = 'user-unknown' AND FailureStatus = '5.1.1'") > 0);

        Volatile.Write(ref broken, 0);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(120));

        Assert.Equal((500, 0, 0), (done.Sent, done.Failed, done.Skipped));
        var received = (await MailsBeforeMarkerAsync(sink, 500)).Select(m => Assert.Single(m.Recipients)).Order();
        Assert.Equal(readers.Order(), received);
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status <> 'Confirmed'"));
    }

    [Fact]
    public async Task ASenderProblemRefusalFailsThatDeliveryKeepsItsReasonAndBouncesNobody()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var proxy = new RejectingSmtpProxy(sink.Port, a => a.StartsWith("gmailish", StringComparison.Ordinal),
            "550 5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail");
        using var app = NewApp(SmtpSettings(proxy.Port, connections: 2));
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 3, prefix: "gmailish");
        await AddReadersAsync(app, 27, prefix: "somebody");
        await PublishAsync(admin, "sender-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(60));

        Assert.Equal((27, 3), (done.Sent, done.Failed));
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status <> 'Confirmed'"));
        Assert.Equal(3, await ScalarAsync<int>(app,
            "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Failed' AND FailureReason = 'content' AND FailureStatus = '5.7.1' AND LastError LIKE '%unsolicited%'"));
    }

    [Fact]
    public async Task ABare550ForSomeReadersBouncesJustThoseOnceOtherMailGoesThrough()
    {
        // No enhanced code in the reply: the words say it is the address; held until other mail goes through.
        await using var sink = await SmtpSink.StartAsync();
        await using var proxy = new RejectingSmtpProxy(sink.Port, a => a.StartsWith("nobody", StringComparison.Ordinal), "550 <{0}>: User unknown");
        using var app = NewApp(SmtpSettings(proxy.Port, connections: 2));
        var admin = app.CreateAdminClient();
        var refused = await AddReadersAsync(app, 3, prefix: "nobody");
        var good = await AddReadersAsync(app, 27, prefix: "somebody");
        await PublishAsync(admin, "bare-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(60));

        Assert.Equal((27, 3, 0), (done.Sent, done.Failed, done.Skipped));
        var bounced = (await DeliveriesAsync(app)).Where(d => d.Status == "Failed").Select(d => d.SubscriberId).Order();
        Assert.Equal(refused.Select(r => (long?)r.Id), bounced);
        Assert.Equal(3, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status = 'Bounced'"));
        var received = (await MailsBeforeMarkerAsync(sink, 27)).Select(m => Assert.Single(m.Recipients)).Order();
        Assert.Equal(good.Select(r => r.Email).Order(), received);
    }

    [Fact]
    public async Task ANonAsciiLocalPartFailsThatDeliveryAndAnInternationalDomainGoesAsPunycode()
    {
        // smtp-sink does not announce SMTPUTF8.
        await using var sink = await SmtpSink.StartAsync();
        using var app = NewApp(SmtpSettings(sink.Port));
        var admin = app.CreateAdminClient();
        var plain = await AddReadersAsync(app, 3);
        var jorg = await AddReaderAsync(app, "jörg@example.com");
        var idn = await AddReaderAsync(app, "reader@bücher.example");
        await PublishAsync(admin, "international-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");

        Assert.Equal((4, 1), (done.Sent, done.Failed));
        var failed = Assert.Single(await DeliveriesAsync(app), d => d.Status == "Failed");
        Assert.Equal(jorg, failed.SubscriberId);
        Assert.Contains("SMTPUTF8", failed.LastError, StringComparison.Ordinal);
        Assert.Equal("Confirmed", await ScalarAsync<string>(app, $"SELECT Status FROM Subscribers WHERE Id = {jorg}"));
        var received = (await MailsBeforeMarkerAsync(sink, 4)).Select(m => Assert.Single(m.Recipients)).Order().ToList();
        Assert.Equal(plain.Select(r => r.Email).Append("reader@xn--bcher-kva.example").Order(), received);
        Assert.True(idn > 0);
    }

    private static Task<long> AddReaderAsync(NewsletterApp app, string email) => ScalarAsync<long>(app,
        $"""
        INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, UnsubscribeToken, SoftBounceCount, ConfirmationMailAttempts)
        VALUES ('{email}', '{email}', NULL, 'Confirmed', 0, '{Guid.NewGuid():N}', 0, 0) RETURNING Id
        """);
}

/// <summary>The same refusals on PostgreSQL, through its delivery store.</summary>
public sealed class RefusalOnPostgresTests : RefusalTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
