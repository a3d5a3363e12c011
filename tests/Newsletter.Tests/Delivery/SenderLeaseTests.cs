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
        // -w 2: each DATA is answered after two seconds; two connections send 36 mails in about 36 s, so
        // the worker is still sending when send-now has started, even when a loaded machine takes
        // twenty seconds and more to start a process.
        await using var sink = await SmtpSink.StartAsync("-w", "2");
        var settings = SmtpSettings(sink.Port, connections: 2);
        settings["Delivery:BatchSize"] = "4";
        settings["Delivery:LeaseDuration"] = "00:00:03";
        using var app = new NewsletterApp(settings);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app.Folder, 36);
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
        var received = (await MailsBeforeMarkerAsync(sink, 36)).Select(m => Assert.Single(m.Recipients)).Order().ToList();
        Assert.Equal(readers.Select(r => r.Email).Order(), received);
        Assert.Equal((36, 0, 0), (done.Sent, done.Failed, done.Skipped));
        Assert.Contains("already exists", sendNow.Stdout, StringComparison.Ordinal);
        Assert.Contains("another process", sendNow.Stderr, StringComparison.Ordinal);
        Assert.Contains("Issue #1 sent: 36 sent, 0 failed, 0 skipped", sendNow.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEngineWhoseLeaseWasTakenOverCanNeitherClaimNorRecord()
    {
        using var app = new NewsletterApp();
        var admin = app.CreateAdminClient();
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var lease = TimeSpan.FromSeconds(30);

        // The stalled engine holds the lease (so the app's own engine waits too) and claims a batch.
        var (stalled, issue, claimed) = await ClaimedByTestEngineAsync(app, "fenced", readers: 10, claim: 4);
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

    [Fact]
    public async Task ARunsOutcomeWriterRecordsGroupAfterGroupOnItsConnectionUntilTheLeaseIsTakenOver()
    {
        using var app = new NewsletterApp();
        var (stalled, issue, claimed) = await ClaimedByTestEngineAsync(app, "writer", readers: 10, claim: 6);

        // One writer, as a run keeps it: the second group goes through the statements the first prepared.
        using var writer = stalled.Queue.OpenOutcomeWriter();
        await writer.RecordAsync([new DeliveryRecord(claimed[0].Id, DeliveryStatus.Sent, 1, null, null), new DeliveryRecord(claimed[1].Id, DeliveryStatus.Sent, 1, null, null)], CancellationToken.None);
        const string Refusal = "550 5.1.1 <it's-gone@example.com>: \"no such user\"";
        await writer.RecordAsync([new DeliveryRecord(claimed[2].Id, DeliveryStatus.Failed, 1, null, Refusal)], CancellationToken.None);

        Assert.Equal(2, await ScalarAsync<int>(app.Folder, $"SELECT COUNT(*) FROM Deliveries WHERE Id IN ({claimed[0].Id}, {claimed[1].Id}) AND Status = 'Sent' AND SentAt IS NOT NULL AND ClaimedBy IS NULL"));
        Assert.Equal(Refusal, await ScalarAsync<string>(app.Folder, $"SELECT LastError FROM Deliveries WHERE Id = {claimed[2].Id} AND Status = 'Failed'"));

        // Taken over, the same writer records nothing more: its kept lease check sees the row gone.
        var successor = new SqliteDeliveryStore(app.Services.GetRequiredService<IServiceScopeFactory>(), new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1)));
        Assert.Equal(3, (await successor.Leases.AcquireAsync(issue.Id, TimeSpan.FromSeconds(30), CancellationToken.None)).Released);
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => writer.RecordAsync(
            [new DeliveryRecord(claimed[3].Id, DeliveryStatus.Sent, 1, null, null)], CancellationToken.None));
        Assert.Equal(7, await ScalarAsync<int>(app.Folder, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Queued'"));
    }
}

/// <summary>
/// Leases on PostgreSQL, where instances share a send (a rule unlike SQLite's one sender at a time):
/// each instance holds a lease of its own, their claims never overlap, a lease that is renewed keeps
/// its rows, and the rows of an instance that stopped renewing go back to the others once its lease
/// expires, while it is fenced off. One <see cref="FakeTimeProvider"/> is every instance's clock.
/// </summary>
public sealed class SenderLeaseOnPostgresTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InstancesEachHoldALeaseAndClaimDisjointRowsOfOneIssue()
    {
        using var app = new NewsletterApp(provider: Newsletter.Data.DatabaseProvider.Postgres);
        var (scopes, issue) = await IssueWithoutTheAppsEngineAsync(app, 10, "shared-verdict");
        await using var first = new PostgresDeliveryStore(scopes, TimeProvider.System);
        await using var second = new PostgresDeliveryStore(scopes, TimeProvider.System);

        Assert.True((await first.Leases.AcquireAsync(issue.Id, Lease, CancellationToken.None)).Acquired);
        Assert.True((await second.Leases.AcquireAsync(issue.Id, Lease, CancellationToken.None)).Acquired);
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
    public async Task ARenewedLeaseKeepsItsRowsPastItsFirstExpiry()
    {
        using var app = new NewsletterApp(provider: Newsletter.Data.DatabaseProvider.Postgres);
        var (scopes, issue) = await IssueWithoutTheAppsEngineAsync(app, 10, "renewed-verdict");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var renewing = new PostgresDeliveryStore(scopes, clock);
        await using var other = new PostgresDeliveryStore(scopes, clock);
        Assert.True((await renewing.Leases.AcquireAsync(issue.Id, Lease, CancellationToken.None)).Acquired);
        Assert.True((await other.Leases.AcquireAsync(issue.Id, Lease, CancellationToken.None)).Acquired);
        var claimed = await renewing.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);

        // Both renew within their lease; then the clock passes the first lease's end, not the renewed one's.
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(new LeaseRenewal(true, 0), await renewing.Leases.RenewAsync(issue.Id, Lease, CancellationToken.None));
        Assert.Equal(new LeaseRenewal(true, 0), await other.Leases.RenewAsync(issue.Id, Lease, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(20));

        // The other's renewal puts nothing back, its claim gets none of the renewed lease's rows,
        // and the holder still records what it sent.
        Assert.Equal(new LeaseRenewal(true, 0), await other.Leases.RenewAsync(issue.Id, Lease, CancellationToken.None));
        var rest = await other.Queue.ClaimAsync(issue.Id, 0, 20, CancellationToken.None);
        Assert.Equal(6, rest.Count);
        Assert.Empty(rest.Select(d => d.Id).Intersect(claimed.Select(d => d.Id)));
        await renewing.Queue.RecordAsync([.. claimed.Select(d => new DeliveryRecord(d.Id, DeliveryStatus.Sent, 1, null, null))], CancellationToken.None);
        Assert.Equal(4, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
        Assert.Equal(6, await ScalarAsync<int>(app, $"SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sending' AND ClaimedBy = {other.Leases.Id}"));
    }

    [Fact]
    public async Task ALeaseThatStopsRenewingExpiresAndTheOtherInstanceFinishesItsRows()
    {
        using var app = new NewsletterApp(provider: Newsletter.Data.DatabaseProvider.Postgres);
        var (scopes, issue) = await IssueWithoutTheAppsEngineAsync(app, 10, "fenced-verdict");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var stalled = new PostgresDeliveryStore(scopes, clock);
        await using var other = new PostgresDeliveryStore(scopes, clock);
        Assert.True((await stalled.Leases.AcquireAsync(issue.Id, Lease, CancellationToken.None)).Acquired);
        Assert.True((await other.Leases.AcquireAsync(issue.Id, Lease, CancellationToken.None)).Acquired);
        var stalledRows = await stalled.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);
        var otherRows = await other.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None);
        await stalled.Leases.ReportRateAsync(5, CancellationToken.None);
        await other.Leases.ReportRateAsync(3, CancellationToken.None);
        Assert.Equal(8, await other.Leases.RateAsync(issue.Id, CancellationToken.None));

        // Only the other renews; while the stalled lease is live, its rows stay its own.
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(new LeaseRenewal(true, 0), await other.Leases.RenewAsync(issue.Id, Lease, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(20));

        // Past the stalled lease's end: the other's renewal puts its 4 rows back and its rate no longer counts.
        Assert.Equal(new LeaseRenewal(true, 4), await other.Leases.RenewAsync(issue.Id, Lease, CancellationToken.None));
        Assert.Equal(3, await other.Leases.RateAsync(issue.Id, CancellationToken.None));
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => stalled.Queue.ClaimAsync(issue.Id, 0, 4, CancellationToken.None));
        await Assert.ThrowsAsync<SenderLeaseLostException>(() => stalled.Queue.RecordAsync(
            [new DeliveryRecord(stalledRows[0].Id, DeliveryStatus.Sent, 1, null, null)], CancellationToken.None));
        Assert.False((await stalled.Leases.RenewAsync(issue.Id, Lease, CancellationToken.None)).Held);

        // The other claims the rest of the issue, the stalled instance's rows included, and finishes it.
        var rest = await other.Queue.ClaimAsync(issue.Id, 0, 20, CancellationToken.None);
        Assert.Equal(6, rest.Count);
        Assert.Subset(rest.Select(d => d.Id).ToHashSet(), stalledRows.Select(d => d.Id).ToHashSet());
        await other.Queue.RecordAsync([.. otherRows.Concat(rest).Select(d => new DeliveryRecord(d.Id, DeliveryStatus.Sent, 1, null, null))], CancellationToken.None);
        Assert.Equal(10, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries WHERE Status = 'Sent'"));
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
