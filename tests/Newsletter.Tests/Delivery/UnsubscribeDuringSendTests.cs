using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Delivery;
using Newsletter.Subscribers;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>"One who unsubscribes before their mail goes out does not get it", while a send runs.</summary>
public class UnsubscribeDuringSendTests
{
    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private NewsletterApp NewApp(Dictionary<string, string?>? settings = null) => new(settings, Provider);

    [Fact]
    public async Task ReadersWhoUnsubscribeDuringTheSendGetNoMailAndTheirDeliveriesAreSkipped()
    {
        // -w 1 and two connections: two mails a second, 20 readers, batches of 5.
        await using var sink = await SmtpSink.StartAsync("-w", "1");
        var settings = SmtpSettings(sink.Port, connections: 2);
        settings["Delivery:BatchSize"] = "5";
        using var app = NewApp(settings);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 20);
        await PublishAsync(admin, "leaving-verdict");
        var claimed = readers[9];
        var queued = readers[19];

        await admin.PostAsync("/api/digests/send", null);
        await WaitForFilesAsync(sink, 1);
        await WaitUntilAsync(async () => await StatusOfAsync(app, claimed) == "Sending");
        Assert.Equal("Queued", await StatusOfAsync(app, queued));
        var client = app.CreateClient();
        foreach (var reader in new[] { claimed, queued })
        {
            var token = await ScalarAsync<string>(app, $"SELECT UnsubscribeToken FROM Subscribers WHERE Id = {reader.Id}");
            var response = await client.PostAsync("/unsubscribe?token=" + token,
                new StringContent("List-Unsubscribe=One-Click", Encoding.UTF8, "application/x-www-form-urlencoded"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The queued one is skipped at once; the claimed one when the sender looks again before sending.
        Assert.Equal("Skipped", await StatusOfAsync(app, queued));
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(60));

        Assert.Equal((18, 0, 2), (done.Sent, done.Failed, done.Skipped));
        Assert.Equal("Skipped", await StatusOfAsync(app, claimed));
        var received = (await MailsBeforeMarkerAsync(sink, 18)).Select(m => Assert.Single(m.Recipients)).Order().ToList();
        Assert.Equal(readers.Where(r => r != claimed && r != queued).Select(r => r.Email).Order(), received);
    }

    [Fact]
    public async Task ABounceAndAnImportThatEndConfirmedSkipTheReadersUnsentMail()
    {
        using var app = NewApp();
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 4);
        var gone = (await AddReadersAsync(app, 1, "Unsubscribed", "gone")).Single();
        await PublishAsync(admin, "bounced-verdict");

        // Nothing is sent while the statuses change.
        var holder = await HoldTheSenderAsync(app);
        await app.Services.GetRequiredService<IssueMaker>().MakeAsync("bounce-slot", CancellationToken.None);
        var bounced = readers[0];
        await ScalarAsync<long>(app,
            $"UPDATE Subscribers SET ConfirmTokenHash = 'stale', ConfirmTokenExpiresAt = 1 WHERE Id = {bounced.Id} RETURNING Id");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var changed = await app.WithDbAsync(db => SubscriberStatusChanges.BounceAsync(
            db, [bounced.Id, gone.Id], now, app.Services.GetServices<IReaderDepartures>(), CancellationToken.None));
        var import = await admin.PostAsync("/api/subscribers/import",
            new StringContent($"email,status\n{readers[1].Email},unsubscribed\n", Encoding.UTF8, "text/csv"));

        Assert.Equal(1, changed);
        import.EnsureSuccessStatusCode();
        var subscribers = await app.WithDbAsync(db => db.Subscribers.AsNoTracking().ToDictionaryAsync(s => s.Id));
        Assert.Equal(SubscriberStatus.Bounced, subscribers[bounced.Id].Status);
        Assert.Equal(now, subscribers[bounced.Id].BouncedAt);
        Assert.Null(subscribers[bounced.Id].ConfirmTokenHash);
        Assert.Null(subscribers[bounced.Id].ConfirmTokenExpiresAt);
        Assert.Equal(SubscriberStatus.Unsubscribed, subscribers[gone.Id].Status);
        Assert.Null(subscribers[gone.Id].BouncedAt);
        Assert.Equal("Skipped", await StatusOfAsync(app, bounced));
        Assert.Equal("Skipped", await StatusOfAsync(app, readers[1]));
        Assert.Equal("Queued", await StatusOfAsync(app, readers[2]));

        await holder.DisposeAsync();
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        Assert.Equal((2, 0, 2), (done.Sent, done.Failed, done.Skipped));
    }

    /// <summary>
    /// Keeps the app's engine from sending until disposed. On SQLite, another engine holds the sender
    /// lease (one sender at a time there); on PostgreSQL, where leases do not exclude each other, the
    /// app's engine is stopped and started again.
    /// </summary>
    protected virtual async Task<IAsyncDisposable> HoldTheSenderAsync(NewsletterApp app)
    {
        var holder = new SqliteDeliveryStore(app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
        Assert.True((await holder.Leases.AcquireAsync(0, TimeSpan.FromMinutes(1), CancellationToken.None)).Acquired);
        return new Release(() => holder.Leases.ReleaseAsync(CancellationToken.None));
    }

    protected sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }

    private static Task<string> StatusOfAsync(NewsletterApp app, Reader reader) =>
        ScalarAsync<string>(app, $"SELECT Status FROM Deliveries WHERE SubscriberId = {reader.Id}");
}

/// <summary>The same departures on PostgreSQL, through its delivery store.</summary>
public sealed class UnsubscribeDuringSendOnPostgresTests : UnsubscribeDuringSendTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<IAsyncDisposable> HoldTheSenderAsync(NewsletterApp app)
    {
        var engine = app.Services.GetRequiredService<DeliveryEngine>();
        await engine.StopAsync(CancellationToken.None);
        return new Release(() => engine.StartAsync(CancellationToken.None));
    }
}
