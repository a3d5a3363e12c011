using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Inbound;
using Newsletter.Subscribers;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;
using static Newsletter.Tests.Inbound.InboundTestApp;
using static Newsletter.Tests.Inbound.ProviderWebhookBodies;

namespace Newsletter.Tests.Inbound;

/// <summary>
/// POST /api/bounces with the providers' own bodies, as they post them (Amazon SES through SNS,
/// Postmark, Mailgun), opened by Bounces:WebhookKey; what is refused changes nothing, and a
/// provider's retry counts once.
/// </summary>
public sealed class ProviderWebhookTests : IClassFixture<ProviderWebhookApp>
{
    private readonly ProviderWebhookApp app;

    public ProviderWebhookTests(ProviderWebhookApp app)
    {
        this.app = app;
        _ = app.Services; // started (and migrated) before a test writes readers into its database
    }

    [Fact]
    public async Task SesThroughSnsBouncesTheDeadAddressCountsTheFullMailboxAndKeepsReadersForTheSendersProblems()
    {
        var readers = await AddReadersAsync(app, 6, prefix: "ses");
        var webhook = app.CreateWebhookClient();

        var results = new List<JsonElement>();
        foreach (var (message, version) in new[]
        {
            (SesBounce(readers[0].Email, "Permanent", "General", "5.1.1", "smtp; 550 5.1.1 <" + readers[0].Email + ">: Recipient address rejected: User unknown", "m-ses-1"), "1"),
            (SesComplaint(readers[1].Email, "abuse"), "2"),
            (SesBounce(readers[2].Email, "Transient", "MailboxFull", "4.2.2", "smtp; 452 4.2.2 Mailbox full", "m-ses-3"), "2"),
            (SesBounce(readers[3].Email, "Transient", "ContentRejected", "5.7.1", "smtp; 554 5.7.1 Message rejected as spam", "m-ses-4"), "2"),
            (SesBounce(readers[4].Email, "Permanent", "General", "5.7.1", "smtp; 550 5.7.1 Service unavailable; client host blocked using Spamhaus", "m-ses-5"), "1"),
            (SesDelivery(readers[5].Email), "2"),
        })
        {
            var response = await PostSnsAsync(webhook, app.SignSns("Notification", message, version));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            results.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }

        Assert.Equal("Bounced", (await ReaderAsync(app, readers[0].Id)).Status);
        Assert.Contains("5.1.1", (await ReaderAsync(app, readers[0].Id)).Reason, StringComparison.Ordinal);
        Assert.Equal("Complained", (await ReaderAsync(app, readers[1].Id)).Status);
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, readers[2].Id)).Status, (await ReaderAsync(app, readers[2].Id)).SoftBounces));
        Assert.Equal(("Confirmed", 0), ((await ReaderAsync(app, readers[3].Id)).Status, (await ReaderAsync(app, readers[3].Id)).SoftBounces));
        Assert.Equal(("Confirmed", 0), ((await ReaderAsync(app, readers[4].Id)).Status, (await ReaderAsync(app, readers[4].Id)).SoftBounces));
        Assert.Equal("Confirmed", (await ReaderAsync(app, readers[5].Id)).Status);

        // The sender problems are kept for the editors, with the reason and the server's line.
        var senderReports = await ReportsAsync(readers[3].Id, readers[4].Id);
        Assert.Equal(2, senderReports.Count);
        Assert.All(senderReports, r => Assert.Equal(ReportKind.Sender, r.Kind));
        Assert.Contains(senderReports, r => r.Diagnostic.Contains("Spamhaus", StringComparison.Ordinal));
        Assert.Equal("content", Single(results[3]).GetProperty("reason").GetString());
        Assert.Equal("sender", Single(results[4]).GetProperty("consequence").GetString());
        Assert.Equal("delivery", Single(results[5]).GetProperty("kind").GetString());
        Assert.Empty(await ReportsAsync(readers[5].Id));
    }

    [Fact]
    public async Task SnsSubscriptionIsConfirmedOnlyWhenSignedByAmazonAndItsUrlIsAmazons()
    {
        var webhook = app.CreateWebhookClient();
        const string good = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + ProviderWebhookApp.TopicArn + "&Token=good";

        var evil = await PostSnsAsync(webhook, app.SignSns("SubscriptionConfirmation", "You have chosen to subscribe.", subscribeUrl: "https://sns.us-east-1.amazonaws.com.evil.example/?Action=ConfirmSubscription&Token=x"));
        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        var plain = await PostSnsAsync(webhook, app.SignSns("SubscriptionConfirmation", "You have chosen to subscribe.", subscribeUrl: good.Replace("https:", "http:", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        var forged = app.SignSns("SubscriptionConfirmation", "You have chosen to subscribe.", subscribeUrl: good)
            .Replace("Token=good", "Token=other", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostSnsAsync(webhook, forged)).StatusCode);
        Assert.DoesNotContain(app.Amazon.Requests, u => u.Query.Contains("ConfirmSubscription", StringComparison.Ordinal));

        var confirmed = await PostSnsAsync(webhook, app.SignSns("SubscriptionConfirmation", "You have chosen to subscribe.", version: "1", subscribeUrl: good));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Single(app.Amazon.Requests, u => u.AbsoluteUri == new Uri(good).AbsoluteUri);

        Assert.Equal(HttpStatusCode.OK, (await PostSnsAsync(webhook, app.SignSns("UnsubscribeConfirmation", "You have chosen to deactivate subscription."))).StatusCode);
    }

    [Fact]
    public async Task SnsMessagesNotSignedByAmazonChangeNothing()
    {
        var readers = await AddReadersAsync(app, 1, prefix: "forged");
        var webhook = app.CreateWebhookClient();
        var bounce = SesBounce(readers[0].Email, "Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown", "m-forged");

        // Signed, then the message changed; a certificate from another host; over http; no signature at all.
        var tampered = app.SignSns("Notification", bounce.Replace("Permanent", "Permanent ", StringComparison.Ordinal));
        var doc = JsonSerializer.Deserialize<Dictionary<string, string>>(tampered)!;
        doc["Message"] = bounce;
        var cases = new[]
        {
            JsonSerializer.Serialize(doc),
            app.SignSns("Notification", bounce, certUrl: "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem"),
            app.SignSns("Notification", bounce, certUrl: "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem"),
            app.SignSns("Notification", bounce, certUrl: ProviderWebhookApp.CertUrl.Replace("https:", "http:", StringComparison.Ordinal)),
            app.SignSns("Notification", bounce, version: "3"),
            JsonSerializer.Serialize(new Dictionary<string, string>(doc) { ["Signature"] = Convert.ToBase64String(new byte[256]) }),
        };
        foreach (var body in cases)
        {
            var response = await PostSnsAsync(webhook, body);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal("Confirmed", (await ReaderAsync(app, readers[0].Id)).Status);
        Assert.Empty(await ReportsAsync(readers[0].Id));
        Assert.DoesNotContain(app.Amazon.Requests, u => u.Host.Contains("evil", StringComparison.Ordinal) || u.Scheme == "http");
    }

    [Fact]
    public async Task PostmarkBouncesAndComplaintsAsPostmarkPostsThem()
    {
        var r = await AddReadersAsync(app, 6, prefix: "postmark");
        var webhook = app.CreateWebhookClient();
        var bodies = new[]
        {
            Postmark(r[0].Email, "HardBounce", 1, "smtp;550 5.1.1 The email account that you tried to reach does not exist.", "pm-1"),
            Postmark(r[1].Email, "SoftBounce", 4096, "smtp;452 4.2.2 The email account that you tried to reach is over quota.", "pm-2"),
            Postmark(r[2].Email, "Blocked", 100006, "smtp;554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked", "pm-3"),
            Postmark(r[3].Email, "SpamNotification", 512, "smtp;550 5.7.1 Message rejected because of spam content", "pm-4"),
            Postmark(r[4].Email, "SpamComplaint", 100001, "", "pm-5"),
            Postmark(r[5].Email, "AutoResponder", 64, "I am out of the office until Monday.", "pm-6"),
        };
        foreach (var body in bodies)
        {
            var response = await webhook.PostAsync("/api/bounces", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("Bounced", (await ReaderAsync(app, r[0].Id)).Status);
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, r[1].Id)).Status, (await ReaderAsync(app, r[1].Id)).SoftBounces));
        Assert.Equal(("Confirmed", 0), ((await ReaderAsync(app, r[2].Id)).Status, (await ReaderAsync(app, r[2].Id)).SoftBounces));
        Assert.Equal(("Confirmed", 0), ((await ReaderAsync(app, r[3].Id)).Status, (await ReaderAsync(app, r[3].Id)).SoftBounces));
        Assert.Equal("Complained", (await ReaderAsync(app, r[4].Id)).Status);
        Assert.Equal("Confirmed", (await ReaderAsync(app, r[5].Id)).Status);
        Assert.Equal([ReportKind.Sender, ReportKind.Sender], (await ReportsAsync(r[2].Id, r[3].Id)).Select(x => x.Kind));
        Assert.Empty(await ReportsAsync(r[5].Id));
    }

    [Fact]
    public async Task MailgunEventsCountOnlyWithAFreshUnusedSignature()
    {
        var r = await AddReadersAsync(app, 5, prefix: "mailgun");
        var webhook = app.CreateWebhookClient();
        var key = ProviderWebhookApp.MailgunKey;

        // Refused: another key, a stale timestamp, a token used before (with another body), no signing key at all.
        var wrong = Mailgun("not-the-signing-key-000000000000", r[0].Email, "failed", "permanent", 550, "5.1.1", "5.1.1 The email account does not exist.", messageId: "mg-0");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostJsonAsync(webhook, wrong)).StatusCode);
        var stale = Mailgun(key, r[0].Email, "failed", "permanent", 550, "5.1.1", "5.1.1 The email account does not exist.", signedAt: DateTimeOffset.UtcNow.AddMinutes(-30), messageId: "mg-0");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostJsonAsync(webhook, stale)).StatusCode);
        Assert.Equal("Confirmed", (await ReaderAsync(app, r[0].Id)).Status);

        var bodies = new[]
        {
            Mailgun(key, r[0].Email, "failed", "permanent", 550, "5.1.1", "5.1.1 The email account that you tried to reach does not exist.", token: "token-first-use-0001", messageId: "mg-1"),
            Mailgun(key, r[1].Email, "failed", "temporary", 452, "4.2.2", "4.2.2 The email account that you tried to reach is over quota.", reason: "generic", messageId: "mg-2"),
            Mailgun(key, r[2].Email, "failed", "permanent", 550, null, "5.7.1 [192.0.2.10] Our system has detected an unusual rate of unsolicited mail; blocked.", messageId: "mg-3"),
            Mailgun(key, r[3].Email, "complained", null, null, null, "", messageId: "mg-4"),
        };
        foreach (var body in bodies)
        {
            var response = await PostJsonAsync(webhook, body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var replay = Mailgun(key, r[4].Email, "failed", "permanent", 550, "5.1.1", "5.1.1 user unknown", token: "token-first-use-0001", messageId: "mg-5");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostJsonAsync(webhook, replay)).StatusCode);

        Assert.Equal("Bounced", (await ReaderAsync(app, r[0].Id)).Status);
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, r[1].Id)).Status, (await ReaderAsync(app, r[1].Id)).SoftBounces));
        Assert.Equal(("Confirmed", 0), ((await ReaderAsync(app, r[2].Id)).Status, (await ReaderAsync(app, r[2].Id)).SoftBounces));
        Assert.Equal("Complained", (await ReaderAsync(app, r[3].Id)).Status);
        Assert.Equal("Confirmed", (await ReaderAsync(app, r[4].Id)).Status);
        Assert.Empty(await ReportsAsync(r[4].Id));
    }

    [Fact]
    public async Task AProvidersRetryOfTheSameSoftReportCountsOnce()
    {
        var r = await AddReadersAsync(app, 4, prefix: "retry");
        var webhook = app.CreateWebhookClient();

        // Postmark posts the same body again; SNS re-sends (a new SNS message id, the same SES mail);
        // our own JSON body posted again; Mailgun re-signs the same event.
        var postmark = Postmark(r[0].Email, "SoftBounce", 4096, "smtp;452 4.2.2 Mailbox full", "pm-retry");
        var ses = SesBounce(r[1].Email, "Transient", "MailboxFull", "4.2.2", "smtp; 452 4.2.2 Mailbox full", "m-retry");
        var own = JsonSerializer.Serialize(new { email = r[2].Email, type = "soft", reason = "452 4.2.2 mailbox full" });
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await PostJsonAsync(webhook, postmark)).IsSuccessStatusCode);
            Assert.True((await PostSnsAsync(webhook, app.SignSns("Notification", ses))).IsSuccessStatusCode);
            Assert.True((await PostJsonAsync(webhook, own)).IsSuccessStatusCode);
            var mailgun = Mailgun(ProviderWebhookApp.MailgunKey, r[3].Email, "failed", "temporary", 452, "4.2.2", "4.2.2 Mailbox full", reason: "generic", messageId: "mg-retry");
            Assert.True((await PostJsonAsync(webhook, mailgun)).IsSuccessStatusCode);
        }

        foreach (var reader in r)
        {
            Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, reader.Id)).Status, (await ReaderAsync(app, reader.Id)).SoftBounces));
            Assert.Single(await ReportsAsync(reader.Id));
        }

        // Copies that arrive at the same moment take turns: still once.
        var together = await AddReadersAsync(app, 1, prefix: "together");
        var copy = Postmark(together[0].Email, "SoftBounce", 4096, "smtp;452 4.2.2 Mailbox full", "pm-together");
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostJsonAsync(app.CreateWebhookClient(), copy)));
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode));
        Assert.Equal(1, (await ReaderAsync(app, together[0].Id)).SoftBounces);
        Assert.Single(await ReportsAsync(together[0].Id));

        var again = await PostJsonAsync(webhook, postmark);
        Assert.Equal("already handled", Single(JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement).GetProperty("outcome").GetString());
    }

    /// <summary>On PostgreSQL, where transactions do not take turns by themselves, copies posted at once by several clients.</summary>
    [Fact]
    public async Task OnPostgresCopiesPostedAtOnceCountOnce()
    {
        using var postgres = new ProviderWebhookApp(DatabaseProvider.Postgres);
        _ = postgres.Services;
        var readers = await AddReadersAsync(postgres, 1, prefix: "pg");
        var ses = SesBounce(readers[0].Email, "Transient", "MailboxFull", "4.2.2", "smtp; 452 4.2.2 Mailbox full", "m-pg");
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostSnsAsync(postgres.CreateWebhookClient(), postgres.SignSns("Notification", ses))));
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode));
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(postgres, readers[0].Id)).Status, (await ReaderAsync(postgres, readers[0].Id)).SoftBounces));
        Assert.Equal(1, await postgres.WithDbAsync(db => db.DeliveryReports.CountAsync(r => r.SubscriberId == readers[0].Id)));
    }

    [Fact]
    public async Task AnInternationalAddressPostedAsPunycodeFindsTheReaderStoredInUnicode()
    {
        var admin = app.CreateAdminClient();
        var import = await admin.PostAsync("/api/subscribers/import",
            new StringContent("email,name,status\nidn1@bücher.example,Idn,confirmed\nidn2@bücher.example,Idn,confirmed\n", Encoding.UTF8, "text/csv"));
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        var ids = await app.WithDbAsync(db => db.Subscribers.Where(s => s.Email.StartsWith("idn")).OrderBy(s => s.Email).Select(s => s.Id).ToListAsync());
        var webhook = app.CreateWebhookClient();

        var own = await PostJsonAsync(webhook, JsonSerializer.Serialize(new { email = "idn1@xn--bcher-kva.example", type = "hard", reason = "550 5.1.1 user unknown" }));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("Bounced", (await ReaderAsync(app, ids[0])).Status);

        var postmark = await PostJsonAsync(webhook, Postmark("IDN2@xn--bcher-kva.example", "SpamComplaint", 100001, "", "pm-idn"));
        Assert.Equal("mail to them stopped", Single(JsonDocument.Parse(await postmark.Content.ReadAsStringAsync()).RootElement).GetProperty("outcome").GetString());
        Assert.Equal("Complained", (await ReaderAsync(app, ids[1])).Status);
    }

    [Fact]
    public async Task TheWebhookKeyOpensThisRouteAndNoOther()
    {
        var readers = await AddReadersAsync(app, 2, prefix: "key");
        var body = JsonSerializer.Serialize(new { email = readers[0].Email, type = "complaint" });

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(app.CreateWebhookClient(), body)).StatusCode);
        using var header = app.CreateClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", ProviderWebhookApp.WebhookKey);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(header, JsonSerializer.Serialize(new { email = readers[1].Email, type = "soft" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(app.CreateAdminClient(), JsonSerializer.Serialize(new { email = readers[1].Email, type = "soft", reason = "again" }))).StatusCode);

        // Nowhere else: not the admin API, not the console, in either form.
        foreach (var client in new[] { app.CreateWebhookClient(), header })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/subscribers")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/digests/send", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
            var console = await client.GetAsync("/admin");
            Assert.NotEqual(HttpStatusCode.OK, console.StatusCode);
            Assert.DoesNotContain("Send now", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A wrong key is refused with a challenge for basic auth (some providers send credentials only then), and changes nothing.
        var wrong = await PostJsonAsync(app.CreateWebhookClient("wrong-webhook-key-0000"), JsonSerializer.Serialize(new { email = readers[1].Email, type = "hard" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.StartsWith("Basic", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("Confirmed", (await ReaderAsync(app, readers[1].Id)).Status);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(ProviderWebhookApp.WebhookKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithTheAdminApiOffTheWebhookKeyStillOpensThisRoute()
    {
        using var alone = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Newsletter:AdminApiKey"] = "",
            ["Bounces:WebhookKey"] = ProviderWebhookApp.WebhookKey,
        });
        _ = alone.Services;
        var readers = await AddReadersAsync(alone, 1, prefix: "alone");

        var bare = await PostJsonAsync(alone.CreateClient(), JsonSerializer.Serialize(new { email = readers[0].Email, type = "hard" }));
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
        Assert.StartsWith("Basic", bare.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var webhook = alone.CreateClient();
        webhook.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ses:" + ProviderWebhookApp.WebhookKey)));
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(webhook, JsonSerializer.Serialize(new { email = readers[0].Email, type = "hard" }))).StatusCode);
        Assert.Equal("Bounced", (await ReaderAsync(alone, readers[0].Id)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await webhook.GetAsync("/api/subscribers")).StatusCode);
    }

    [Fact]
    public async Task AMalformedBodyIsAClearErrorAndChangesNothing()
    {
        var webhook = app.CreateWebhookClient();
        var notJson = await webhook.PostAsync("/api/bounces", new StringContent("{\"Type\": \"Notification\", ", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("not JSON", await notJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var half = await PostSnsAsync(webhook, "{\"Type\": \"Notification\", \"TopicArn\": \"arn:aws:sns:us-east-1:1:x\"}");
        Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
        var notSes = await PostSnsAsync(webhook, app.SignSns("Notification", "hello, not SES"));
        Assert.Equal(HttpStatusCode.BadRequest, notSes.StatusCode);
    }

    private static JsonElement Single(JsonElement response) => Assert.Single(response.GetProperty("reports").EnumerateArray());

    /// <summary>As SNS posts: the JSON envelope, Content-Type text/plain.</summary>
    private static Task<HttpResponseMessage> PostSnsAsync(HttpClient client, string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "text/plain");
        content.Headers.Add("x-amz-sns-message-type", JsonDocument.Parse(body).RootElement.GetProperty("Type").GetString());
        return client.PostAsync("/api/bounces", content);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string body) =>
        client.PostAsync("/api/bounces", new StringContent(body, Encoding.UTF8, "application/json"));

    private Task<List<DeliveryReport>> ReportsAsync(params long[] subscriberIds) =>
        app.WithDbAsync(db => db.DeliveryReports.Where(r => r.SubscriberId != null && subscriberIds.Contains(r.SubscriberId.Value)).OrderBy(r => r.Id).ToListAsync());
}
