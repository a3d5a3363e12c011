using System.Net;
using System.Text.Json;
using MimeKit;
using Newsletter.Data;
using Newsletter.Inbound;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Inbound.InboundTestApp;

namespace Newsletter.Tests.Inbound;

/// <summary>One Dovecot for the class; each test uses its own user folder state through a fresh mailbox.</summary>
public sealed class DovecotFixture : IAsyncLifetime
{
    public Dovecot Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await Dovecot.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The mailbox check against a real IMAP server, with the sample mails put there by IMAP APPEND.</summary>
public class InboundMailboxTests(DovecotFixture fixture) : IClassFixture<DovecotFixture>
{
    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private static readonly string[] Understood =
    [
        "postfix-hard-full.eml", "postfix-delayed-headers-only.eml", "exim-hard-plain.eml", "exim-dsn-full.eml", "gmail-hard.eml",
        "microsoft-hard-headers-only.eml", "microsoft-soft-no-original.eml", "arf-abuse.eml", "vacation-reply.eml",
        "outlook-automatic-reply.eml", "unsubscribe-mail.eml",
    ];

    private static readonly string[] NotUnderstood = ["forged-bounce.eml", "garbage.eml"];

    [Fact]
    public async Task EachMailIsActedOnAndMovedToProcessedOrReviewAndASecondPassChangesNothing()
    {
        var dovecot = fixture.Server;
        using var app = new NewsletterApp(Settings(dovecot), Provider);
        await StartWithSampleKeyAsync(app);
        await AddSampleReadersAsync(app, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112);
        foreach (var sample in Understood.Concat(NotUnderstood))
        {
            await dovecot.AppendAsync(InboundSamples.Load(sample));
        }

        var check = await Service<InboundMailbox>(app).CheckAsync(CancellationToken.None);

        Assert.Equal((2, 0), (check.Review, check.AlreadyHandled));
        Assert.Empty(await dovecot.ListAsync("INBOX"));
        Assert.Equal(Understood.Select(IdOf).Order(), (await dovecot.ListAsync("Processed")).Order());
        Assert.Equal(NotUnderstood.Select(IdOf).Order(), (await dovecot.ListAsync("Review")).Order());

        foreach (var hard in new long[] { 101, 103, 104, 105 })
        {
            Assert.Equal("Bounced", (await ReaderAsync(app, hard)).Status);
        }

        var gone = await ReaderAsync(app, 101);
        Assert.Contains("5.1.1", gone.Reason, StringComparison.Ordinal);
        // A delay notice changes nothing (the reporter is still trying); a full mailbox (5.2.2) is soft, not hard.
        Assert.Equal(("Confirmed", 0), ((await ReaderAsync(app, 102)).Status, (await ReaderAsync(app, 102)).SoftBounces));
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, 110)).Status, (await ReaderAsync(app, 110)).SoftBounces));
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, 106)).Status, (await ReaderAsync(app, 106)).SoftBounces));
        Assert.Equal("Complained", (await ReaderAsync(app, 107)).Status);
        Assert.Equal("Unsubscribed", (await ReaderAsync(app, 109)).Status);
        foreach (var untouched in new long[] { 108, 111, 112 })
        {
            Assert.Equal(("Confirmed", (string?)null), ((await ReaderAsync(app, untouched)).Status, (await ReaderAsync(app, untouched)).Reason));
        }

        // The same two soft bounces again (a crash before the move would leave them): no second effect.
        await dovecot.AppendAsync(InboundSamples.Load("exim-dsn-full.eml"));
        await dovecot.AppendAsync(InboundSamples.Load("microsoft-soft-no-original.eml"));
        var again = await Service<InboundMailbox>(app).CheckAsync(CancellationToken.None);

        Assert.Equal((0, 2, 2), (again.Handled, again.AlreadyHandled, again.ReviewFolderCount));
        Assert.Equal(1, (await ReaderAsync(app, 110)).SoftBounces);
        Assert.Equal(1, (await ReaderAsync(app, 106)).SoftBounces);
        Assert.Empty(await dovecot.ListAsync("INBOX"));

        // /health: the mailbox is reachable and two mails wait for a human.
        var health = JsonDocument.Parse(await app.CreateAdminClient().GetStringAsync("/health")).RootElement;
        var inbound = health.GetProperty("checks").GetProperty("inbound");
        Assert.Equal("Degraded", inbound.GetProperty("status").GetString());
        Assert.Contains("2 in Review", inbound.GetProperty("description").GetString(), StringComparison.Ordinal);

        // The editors' console says so too.
        using var editor = app.CreateAdminClient();
        var page = await editor.GetStringAsync("/admin");
        Assert.True(page.Contains("inbound review folder: 2.", StringComparison.Ordinal), page);

        // ... and names what waits there, so that nothing waits unseen (the subject, escaped like all content).
        Assert.Contains("Boost your rankings today!!!", page, StringComparison.Ordinal);
        Assert.Contains("Undelivered Mail Returned to Sender", page, StringComparison.Ordinal);
        Assert.Equal(2, again.ReviewSamples.Count);

        await EmptyAsync(dovecot);
    }

    [Fact]
    public async Task AnUnreachableMailboxIsDegradedOnHealthNotTheWholeApp()
    {
        var settings = Settings(fixture.Server);
        settings["Inbound:Port"] = "1";
        using var app = new NewsletterApp(settings, Provider);

        var response = await app.CreateAdminClient().GetAsync("/health");

        // A mailbox problem must not take the web front out of a load balancer.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbound = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("inbound");
        Assert.Equal("Degraded", inbound.GetProperty("status").GetString());
    }

    private static string IdOf(string sample) => InboundSamples.Load(sample).MessageId is { } id ? "<" + id + ">" : "?";

    /// <summary>Leaves the shared mailbox empty for the next test.</summary>
    private static async Task EmptyAsync(Dovecot dovecot)
    {
        using var client = await dovecot.ConnectAsync();
        foreach (var name in new[] { "Processed", "Review" })
        {
            var folder = await client.GetFolderAsync(name);
            await folder.DeleteAsync();
        }

        await client.DisconnectAsync(true);
    }
}

/// <summary>The same mailbox check on PostgreSQL (a Dovecot of its own: the class fixture is per class).</summary>
public sealed class InboundMailboxOnPostgresTests(DovecotFixture fixture) : InboundMailboxTests(fixture)
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
