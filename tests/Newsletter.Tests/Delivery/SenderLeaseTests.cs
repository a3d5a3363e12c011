using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Delivery;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// Two senders on one database: the worker's engine and a `send-now` beside it, or an engine that
/// stalled while another took over. Only the holder of the sender lease sends.
/// </summary>
public sealed class SenderLeaseTests
{
    [Fact]
    public async Task ASendNowBesideASendingWorkerWaitsForItAndEveryReaderGetsOneMail()
    {
        // -w 2: each DATA is answered after two seconds; two connections send 24 mails in about 24 s, so
        // the worker is still sending when send-now has started.
        await using var sink = await SmtpSink.StartAsync("-w", "2");
        var settings = SmtpSettings(sink.Port, connections: 2);
        settings["Delivery:BatchSize"] = "4";
        settings["Delivery:LeaseDuration"] = "00:00:03";
        using var app = new NewsletterApp(settings);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app.Folder, 24);
        await PublishAsync(admin, "leased-verdict");

        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        await WaitForFilesAsync(sink, 1);
        var env = CliProcess.IsolatedEnvironment(app.Folder);
        env["Smtp__Host"] = "127.0.0.1";
        env["Smtp__Port"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        env["Smtp__Security"] = "None";
        env["Smtp__Connections"] = "2";
        env["Delivery__BatchSize"] = "4";
        env["Delivery__LeaseDuration"] = "00:00:03";
        env["Delivery__ProgressInterval"] = "00:00:01";
        var sendNow = await CliProcess.RunAsync(["send-now"], env, TimeSpan.FromSeconds(90));

        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        Assert.True(sendNow.ExitCode == 0, sendNow.Stderr);
        var received = (await MailsBeforeMarkerAsync(sink, 24)).Select(m => Assert.Single(m.Recipients)).Order().ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), received);
        Assert.Equal((24, 0, 0), (done.Sent, done.Failed, done.Skipped));
        Assert.Contains("already exists", sendNow.Stdout, StringComparison.Ordinal);
        Assert.Contains("another process", sendNow.Stderr, StringComparison.Ordinal);
        Assert.Contains("Issue #1 sent: 24 sent, 0 failed, 0 skipped", sendNow.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEngineWhoseLeaseWasTakenOverCanNeitherClaimNorRecord()
    {
        using var app = new NewsletterApp();
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app.Folder, 10);
        await PublishAsync(admin, "fenced-verdict");
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var stalled = new SqliteDeliveryStore(scopes, TimeProvider.System);
        var lease = TimeSpan.FromSeconds(30);

        // The stalled engine holds the lease (so the app's own engine waits too) and claims a batch.
        Assert.True((await stalled.Leases.AcquireAsync(0, lease, CancellationToken.None)).Acquired);
        var issue = (await app.Services.GetRequiredService<IssueMaker>().MakeAsync("fenced-slot", CancellationToken.None)).Issue!;
        var claimed = await stalled.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);
        Assert.Equal(4, claimed.Count);
        Assert.Equal(4, await ScalarAsync<int>(app.Folder, $"SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sending' AND ClaimedBy = {stalled.Leases.Id}"));

        // Another engine whose clock is past the stalled one's lease takes over, and puts its claims back.
        var successor = new SqliteDeliveryStore(scopes, new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1)));
        var taken = await successor.Leases.AcquireAsync(issue.Id, lease, CancellationToken.None);

        Assert.True(taken.Acquired);
        Assert.Equal(4, taken.Released);
        Assert.False((await stalled.Leases.AcquireAsync(issue.Id, lease, CancellationToken.None)).Acquired);
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => stalled.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None));
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => stalled.Queue.RecordAsync(
            [new DeliveryRecord(claimed[0].Id, DeliveryStatus.Sent, 1, null, null)], CancellationToken.None));
        Assert.False((await stalled.Leases.RenewAsync(issue.Id, lease, CancellationToken.None)).Held);
        Assert.Equal(10, await ScalarAsync<int>(app.Folder, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Queued'"));

        // Freed, the lease goes to the app's engine, which sends the issue.
        await successor.Leases.ReleaseAsync(CancellationToken.None);
        var done = await WaitForIssueAsync(admin, issue.Number, i => i.Status == "sent");
        Assert.Equal(10, done.Sent);
        Assert.Equal(10, Directory.GetFiles(app.Outbox, "*.eml").Length);
    }
}

/// <summary>
/// Leases on PostgreSQL, where instances share a send: each holds a lease of its own, their claims
/// never overlap, and an instance whose lease expired is fenced off while its rows go back.
/// </summary>
public sealed class PostgresSenderLeaseTests
{
    [Fact]
    public async Task InstancesEachHoldALeaseAndClaimDisjointRowsOfOneIssue()
    {
        using var app = new NewsletterApp(provider: Newsletter.Data.DatabaseProvider.Postgres);
        var (scopes, issue) = await IssueWithoutTheAppsEngineAsync(app, 10, "shared-verdict");
        await using var first = new PostgresDeliveryStore(scopes, TimeProvider.System);
        await using var second = new PostgresDeliveryStore(scopes, TimeProvider.System);
        var lease = TimeSpan.FromSeconds(30);

        Assert.True((await first.Leases.AcquireAsync(issue.Id, lease, CancellationToken.None)).Acquired);
        Assert.True((await second.Leases.AcquireAsync(issue.Id, lease, CancellationToken.None)).Acquired);
        var a = await first.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);
        var b = await second.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);

        Assert.Equal(4, a.Count);
        Assert.Equal(4, b.Count);
        Assert.Empty(a.Select(d => d.Id).Intersect(b.Select(d => d.Id)));
        Assert.Equal(4, await ScalarAsync<int>(app, $"SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sending' AND ClaimedBy = {first.Leases.Id}"));
        Assert.Equal(4, await ScalarAsync<int>(app, $"SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sending' AND ClaimedBy = {second.Leases.Id}"));

        // Each records only its own rows.
        await first.Queue.RecordAsync([.. b.Select(d => new DeliveryRecord(d.Id, DeliveryStatus.Sent, 1, null, null))], CancellationToken.None);
        await second.Queue.RecordAsync([.. b.Select(d => new DeliveryRecord(d.Id, DeliveryStatus.Sent, 1, null, null))], CancellationToken.None);
        Assert.Equal(4, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
        Assert.Equal(4, await ScalarAsync<int>(app, $"SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sending' AND ClaimedBy = {first.Leases.Id}"));
    }

    [Fact]
    public async Task AnInstanceWhoseLeaseExpiredIsFencedOffAndItsRowsGoBack()
    {
        using var app = new NewsletterApp(provider: Newsletter.Data.DatabaseProvider.Postgres);
        var (scopes, issue) = await IssueWithoutTheAppsEngineAsync(app, 10, "fenced-verdict");
        await using var stalled = new PostgresDeliveryStore(scopes, TimeProvider.System);
        var lease = TimeSpan.FromSeconds(30);
        Assert.True((await stalled.Leases.AcquireAsync(issue.Id, lease, CancellationToken.None)).Acquired);
        var claimed = await stalled.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);

        // Another instance whose clock is past the stalled one's lease renews its own: the rows come back.
        await using var other = new PostgresDeliveryStore(scopes, new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1)));
        Assert.True((await other.Leases.AcquireAsync(issue.Id, lease, CancellationToken.None)).Acquired);

        Assert.Equal(10, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Queued'"));
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => stalled.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None));
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => stalled.Queue.RecordAsync(
            [new DeliveryRecord(claimed[0].Id, DeliveryStatus.Sent, 1, null, null)], CancellationToken.None));
        Assert.False((await stalled.Leases.RenewAsync(issue.Id, lease, CancellationToken.None)).Held);
        Assert.Equal(10, (await other.Queue.ClaimAsync(issue.Id, 0, 20, CancellationToken.None)).Count);
    }

    /// <summary>An issue of <paramref name="readers"/> deliveries that the app's own engine leaves alone (it is stopped).</summary>
    private static async Task<(IServiceScopeFactory Scopes, Newsletter.Digests.DigestIssue Issue)> IssueWithoutTheAppsEngineAsync(NewsletterApp app, int readers, string slug)
    {
        var admin = app.CreateAdminClient();
        await app.Services.GetRequiredService<DeliveryEngine>().StopAsync(CancellationToken.None);
        await AddReadersAsync(app, readers);
        await PublishAsync(admin, slug);
        var issue = (await app.Services.GetRequiredService<IssueMaker>().MakeAsync(slug + "-slot", CancellationToken.None)).Issue!;
        return (app.Services.GetRequiredService<IServiceScopeFactory>(), issue);
    }
}
