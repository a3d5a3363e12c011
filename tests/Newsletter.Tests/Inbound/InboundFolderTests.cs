using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Newsletter.Inbound;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Inbound.InboundTestApp;

namespace Newsletter.Tests.Inbound;

/// <summary>
/// Folder settings and sign-in failures against a real Dovecot (folders separated by '/', kept as
/// Maildir++ on disk, so '.' is not allowed in a name): missing folders are made, an impossible name
/// or a missing source folder is one clear line on /health, and a wrong password degrades the mailbox
/// entry without taking /health to 503 or signing in again at every fire.
/// </summary>
public sealed class InboundFolderTests(DovecotFixture fixture) : IClassFixture<DovecotFixture>
{
    [Fact]
    public async Task MissingNestedFoldersAreMadeWithTheServersSeparatorAndTheBounceIsApplied()
    {
        using var app = new NewsletterApp(Settings(fixture.Server, new()
        {
            ["Inbound:ProcessedFolder"] = "Archive/Bounces",
            ["Inbound:ReviewFolder"] = "Archive/Review",
        }));
        await StartWithSampleKeyAsync(app);
        await AddSampleReadersAsync(app, 101);
        await fixture.Server.AppendAsync(InboundSamples.Load("postfix-hard-full.eml"));

        var check = await Service<InboundMailbox>(app).CheckAsync(CancellationToken.None);

        Assert.Equal(1, check.Handled);
        Assert.Equal("Bounced", (await ReaderAsync(app, 101)).Status);
        Assert.Empty(await fixture.Server.ListAsync("INBOX"));
        Assert.Single(await fixture.Server.ListAsync("Archive/Bounces"));
        using var client = await fixture.Server.ConnectAsync();
        await (await client.GetFolderAsync("Archive/Bounces")).DeleteAsync();
        await (await client.GetFolderAsync("Archive/Review")).DeleteAsync();
        await (await client.GetFolderAsync("Archive")).DeleteAsync();
    }

    [Theory]
    [InlineData("Inbound:Folder", "NoSuchFolder", "Inbound:Folder \"NoSuchFolder\" does not exist")]
    [InlineData("Inbound:ProcessedFolder", "Archive.Bounces", "Inbound:ProcessedFolder \"Archive.Bounces\" cannot be created")]
    public async Task AFolderTheServerCannotHonourIsOneClearLineOnHealth(string setting, string value, string line)
    {
        using var app = new NewsletterApp(Settings(fixture.Server, new() { [setting] = value }));
        var job = new InboundJob(Service<InboundMailbox>(app), Service<InboundStatus>(app), NullLogger<InboundJob>.Instance);

        await job.Execute(null!, CancellationToken.None);

        var (status, inbound) = await HealthAsync(app);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", inbound.GetProperty("status").GetString());
        Assert.Contains(line, inbound.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPasswordDegradesTheMailboxAndTheNextFiresWait()
    {
        using var app = new NewsletterApp(Settings(fixture.Server, new() { ["Inbound:Password"] = "not-the-password" }));
        var inboundStatus = Service<InboundStatus>(app);
        var job = new InboundJob(Service<InboundMailbox>(app), inboundStatus, NullLogger<InboundJob>.Instance);

        await job.Execute(null!, CancellationToken.None);
        await job.Execute(null!, CancellationToken.None);
        await job.Execute(null!, CancellationToken.None);

        // One sign-in: the fires after the failure wait for its minute (then two, four … up to 30).
        Assert.Equal(1, inboundStatus.Failure?.Times);
        Assert.Equal(InboundStatus.FirstWait, inboundStatus.Failure!.Value.RetryAt - inboundStatus.Failure.Value.At);
        var (status, inbound) = await HealthAsync(app);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", inbound.GetProperty("status").GetString());
        Assert.Equal(1, inboundStatus.Failure?.Times);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Inbound)> HealthAsync(NewsletterApp app)
    {
        var response = await app.CreateAdminClient().GetAsync("/health");
        var inbound = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("inbound");
        return (response.StatusCode, inbound.Clone());
    }
}
