using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>
/// The reputation guard end to end, through smtp-sink and the webhook: complaints at one domain pause
/// mail there while everyone else gets each issue; the held mail waits into the next issue; resuming
/// sends it once, cancelling skips it; nobody gets a mail twice.
/// </summary>
public sealed class DomainGuardTests
{
    private const string Busy = "busy.example.net";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ComplaintsAtOneDomainHoldItsMailUntilAnEditorResumesOrCancelsIt(DatabaseProvider provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        var settings = SmtpSettings(sink.Port);
        settings["Digest:Schedule"] = "* * * * * ?";
        settings["Bounces:DomainGuard:MinimumComplaints"] = "2";
        using var app = new NewsletterApp(settings, provider);
        var admin = app.CreateAdminClient();
        var calm = await AddReadersAsync(app, 4, prefix: "calm");
        var busy = await AddReadersAsync(app, 6, prefix: "busy");
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            $"UPDATE Subscribers SET Email = replace(Email, '@example.com', '@{Busy}'), EmailKey = replace(EmailKey, '@example.com', '@{Busy}') WHERE Email LIKE 'busy%'"));
        var busyEmails = busy.Select(r => r.Email.Replace("@example.com", "@" + Busy, StringComparison.Ordinal)).ToList();

        await SendIssueAsync(admin, 1);
        await sink.WaitForMessagesAsync(10);

        // One complaint of six delivered is under the minimum: nothing pauses.
        await ComplainAsync(admin, busyEmails[0]);
        Assert.Empty(await PausedAsync(admin));

        // The second passes both the minimum and 0.3%: mail to that domain pauses, the rest goes on.
        await ComplainAsync(admin, busyEmails[1]);
        var paused = Assert.Single(await PausedAsync(admin));
        Assert.Equal(Busy, paused.GetProperty("domain").GetString());
        Assert.StartsWith("complaints: 2 of 6", paused.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Issue 2 is complete for everyone else and says what waits; the four left at busy get nothing yet.
        var second = await SendIssueAsync(admin, 2);
        Assert.Equal(4, second.HeldForDomains![Busy]);
        Assert.Equal(4, second.Sent);
        Assert.Equal(4, second.Queued);
        await sink.WaitForMessagesAsync(14);

        // The pause survives into issue 3.
        var third = await SendIssueAsync(admin, 3);
        Assert.Equal(4, third.HeldForDomains![Busy]);
        await sink.WaitForMessagesAsync(18);
        await Task.Delay(500);
        Assert.Equal(18, Accepted(sink).Count);
        Assert.Equal(8, Assert.Single(await PausedAsync(admin)).GetProperty("waiting").GetInt32());

        // Resume: the eight held mails go out, once each, and issues 2 and 3 complete again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/domains/paused/{Busy}/resume", null)).StatusCode);
        await sink.WaitForMessagesAsync(26);
        await WaitForIssueAsync(admin, 2, i => i.Status == "sent" && i.Queued == 0);
        await WaitForIssueAsync(admin, 3, i => i.Status == "sent" && i.Queued == 0);
        Assert.Empty(await PausedAsync(admin));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/domains/paused/{Busy}/resume", null)).StatusCode);

        // Two more complaints (of four delivered in issue 3) pause it again; this time the editor cancels.
        await ComplainAsync(admin, busyEmails[2]);
        await ComplainAsync(admin, busyEmails[3]);
        Assert.Single(await PausedAsync(admin));
        var fourth = await SendIssueAsync(admin, 4);
        Assert.Equal(2, fourth.HeldForDomains![Busy]);
        var cancel = await admin.PostAsync($"/api/domains/paused/{Busy}/cancel", null);
        Assert.Equal(2, JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement.GetProperty("skipped").GetInt32());
        var afterCancel = await WaitForIssueAsync(admin, 4, i => i.Queued == 0);
        Assert.Equal((4, 2), (afterCancel.Sent, afterCancel.Skipped));
        var skippedWhy = await ScalarAsync<string>(app,
            "SELECT d.LastError FROM Deliveries d JOIN Issues i ON i.Id = d.IssueId WHERE i.Number = 4 AND d.Status = 'Skipped' LIMIT 1");
        Assert.Contains("cancelled by an editor", skippedWhy, StringComparison.Ordinal);

        // The next issue goes to the domain as usual.
        var fifth = await SendIssueAsync(admin, 5);
        Assert.Equal(6, fifth.Sent);
        Assert.Empty(fifth.HeldForDomains!);

        // Nobody got an issue twice: calm readers 5 issues, busy 1-2 one, busy 3-4 three, busy 5-6 three (1, 2, 3, 5; 4 cancelled).
        await sink.WaitForMessagesAsync(26 + 4 + 6);
        await Task.Delay(500);
        var perReader = Accepted(sink).SelectMany(m => m.Recipients).GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.All(calm, r => Assert.Equal(5, perReader[r.Email]));
        Assert.Equal([1, 1, 3, 3, 4, 4], busyEmails.Select(e => perReader[e]));
        var subjects = Accepted(sink).GroupBy(m => (Assert.Single(m.Recipients), m.Message.Subject)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(subjects);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SenderProblemsOnTheSendPathPauseThatDomainAndCostNoReader(DatabaseProvider provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var proxy = new RejectingSmtpProxy(sink.Port, a => a.EndsWith("@" + Busy, StringComparison.Ordinal),
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org");
        var settings = SmtpSettings(proxy.Port, connections: 2);
        settings["Digest:Schedule"] = "* * * * * ?";
        settings["Bounces:DomainGuard:MinimumSenderProblems"] = "3";
        using var app = new NewsletterApp(settings, provider);
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 20, prefix: "calm");
        await AddReadersAsync(app, 10, prefix: "busy");
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            $"UPDATE Subscribers SET Email = replace(Email, '@example.com', '@{Busy}'), EmailKey = replace(EmailKey, '@example.com', '@{Busy}') WHERE Email LIKE 'busy%'"));

        var first = await SendIssueAsync(admin, 1);
        Assert.Equal(20, first.Sent);
        await WaitUntilAsync(async () => (await PausedAsync(admin)).Count == 1);
        var paused = Assert.Single(await PausedAsync(admin));
        Assert.StartsWith("sender problems:", paused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("spamhaus", paused.GetProperty("samples")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Subscribers WHERE Status <> 'Confirmed'"));

        // The next issue: every reader at busy waits (none was refused again), the others get it.
        var second = await SendIssueAsync(admin, 2);
        Assert.Equal((20, 0, 10), (second.Sent, second.Failed, second.HeldForDomains![Busy]));
    }

    private static async Task<IssueView> SendIssueAsync(HttpClient admin, int number)
    {
        await Task.Delay(1100); // the next schedule slot (one a second here)
        await PublishAsync(admin, $"guard-{number}", $"Guard issue {number}");
        (await admin.PostAsync("/api/digests/send", null)).EnsureSuccessStatusCode();
        return await WaitForIssueAsync(admin, number, i => i.Status == "sent");
    }

    private static async Task ComplainAsync(HttpClient admin, string email)
    {
        var response = await admin.PostAsJsonAsync("/api/bounces", new { email, type = "complaint", reason = "abuse report from the provider" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<JsonElement>> PausedAsync(HttpClient admin) =>
        [.. JsonDocument.Parse(await admin.GetStringAsync("/api/domains/paused")).RootElement.EnumerateArray()];
}
