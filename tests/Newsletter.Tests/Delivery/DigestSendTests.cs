using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Delivery;

/// <summary>A whole send through the real smtp-sink: who gets what, once, with which headers.</summary>
public class DigestSendTests
{
    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private NewsletterApp NewApp(Dictionary<string, string?>? settings = null) => new(settings, Provider);

    [Fact]
    public async Task EveryConfirmedSubscriberGetsExactlyOneMailWithTheBulkHeaders()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = NewApp(SmtpSettings(sink.Port));
        var admin = app.CreateAdminClient();
        var confirmed = await AddReadersAsync(app, 120);
        var others = (await AddReadersAsync(app, 10, "Pending", "pending"))
            .Concat(await AddReadersAsync(app, 10, "Unsubscribed", "gone"))
            .Concat(await AddReadersAsync(app, 5, "Bounced", "bounced"))
            .ToList();
        await PublishAsync(admin, "first-verdict", "First <verdict> & more");

        var send = await admin.PostAsync("/api/digests/send", null);

        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        var made = (await send.Content.ReadFromJsonAsync<IssueView>(SampleComparisons.Web))!;
        Assert.Equal(120, made.Recipients);
        var done = await WaitForIssueAsync(admin, made.Number, i => i.Status == "sent");
        Assert.Equal((120, 0, 0, 0, 0), (done.Sent, done.Failed, done.Skipped, done.Queued, done.Sending));

        var mails = await sink.WaitForMessagesAsync(120);
        Assert.Equal(120, mails.Count);
        var byRecipient = mails.ToDictionary(m => Assert.Single(m.Recipients));
        Assert.Equal(confirmed.Select(r => r.Email).Order(), byRecipient.Keys.Order());
        Assert.DoesNotContain(others, o => byRecipient.ContainsKey(o.Email));

        foreach (var reader in confirmed)
        {
            var message = byRecipient[reader.Email].Message;
            var unsubscribe = $"https://verdicts.example.com/unsubscribe?token={reader.Token}";
            Assert.Equal(reader.Email, Assert.Single(message.To.Mailboxes).Address);
            Assert.Equal($"issue-{made.Number}.subscriber-{reader.Id}@verdicts.example.com", message.MessageId);
            Assert.Contains($"<{unsubscribe}>", message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Contains($"<mailto:digest@verdicts.example.com?subject=unsubscribe%20{reader.Token}>", message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
            Assert.Equal("AI Tool Verdicts <digest.verdicts.example.com>", message.Headers["List-Id"]);
            Assert.Equal("multipart/alternative", message.Body!.ContentType.MimeType);
            Assert.Contains(unsubscribe, message.TextBody, StringComparison.Ordinal);
            Assert.Contains(unsubscribe, message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("https://verdicts.example.com/issues/" + made.Number, message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("First <verdict> & more", message.Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ASecondSendForTheSameSlotStartsNothingNew()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var app = NewApp(SmtpSettings(sink.Port));
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 5);
        await PublishAsync(admin, "only-verdict");

        var first = await admin.PostAsync("/api/digests/send", null);
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        await PublishAsync(admin, "later-verdict");
        var second = await admin.PostAsync("/api/digests/send", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, (await second.Content.ReadFromJsonAsync<IssueView>(SampleComparisons.Web))!.Number);
        var list = await admin.GetFromJsonAsync<List<IssueView>>("/api/digests", SampleComparisons.Web);
        Assert.Single(list!);
        Assert.Equal(5, (await MailsBeforeMarkerAsync(sink, 5)).Count);
    }

    [Fact]
    public async Task NothingNewToCarryIsAConflictAndMakesNoIssue()
    {
        using var app = NewApp();
        var admin = app.CreateAdminClient();

        var send = await admin.PostAsync("/api/digests/send", null);

        Assert.Equal(HttpStatusCode.Conflict, send.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<List<IssueView>>("/api/digests", SampleComparisons.Web))!);
    }

    [Fact]
    public async Task MakersRacingForOneSlotMakeOneIssue()
    {
        using var app = NewApp();
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 30);
        await PublishAsync(admin, "raced-verdict");
        var maker = app.Services.GetRequiredService<IssueMaker>();
        var slot = app.Services.GetRequiredService<SendSlots>().Manual();

        var direct = Enumerable.Range(0, 4).Select(_ => Task.Run(() => maker.MakeAsync(slot, CancellationToken.None))).ToList();
        var posts = Enumerable.Range(0, 4).Select(_ => admin.PostAsync("/api/digests/send", null)).ToList();
        var made = await Task.WhenAll(direct);
        var answers = await Task.WhenAll(posts);

        Assert.Equal(1, made.Count(m => m.Created) + answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        Assert.All(made, m => Assert.Equal(1, m.Issue!.Number));
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode));
        Assert.Equal(1, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Issues"));
        Assert.Equal(30, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM Deliveries"));
    }

    [Fact]
    public async Task WithoutSmtpHostTheSameEngineWritesEmlFiles()
    {
        using var app = NewApp();
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 7);
        await PublishAsync(admin, "pickup-verdict");

        await admin.PostAsync("/api/digests/send", null);
        var done = await WaitForIssueAsync(admin, 1, i => i.Status == "sent");

        Assert.Equal(7, done.Sent);
        var files = Directory.GetFiles(app.Outbox, "*.eml");
        Assert.Equal(7, files.Length);
        Assert.All(files, f => Assert.NotNull(MimeKit.MimeMessage.Load(f).Headers["List-Unsubscribe"]));
    }
}

/// <summary>The same sends on PostgreSQL, through its delivery store.</summary>
public sealed class DigestSendOnPostgresTests : DigestSendTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
