using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Newsletter.Data;
using Newsletter.Inbound;
using Newsletter.Mail;
using Newsletter.Tests.Fixtures;
using Quartz;
using static Newsletter.Tests.Delivery.DeliveryTestData;
using static Newsletter.Tests.Inbound.InboundTestApp;

namespace Newsletter.Tests.Inbound;

/// <summary>The whole loop: a send, bounces for some readers mailed back to the mailbox, the job, the next issue.</summary>
public sealed class BounceLoopTests(DovecotFixture fixture) : IClassFixture<DovecotFixture>
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task ReadersWhoseMailBouncedOrWhoComplainedDoNotGetTheNextIssue(DatabaseProvider provider)
    {
        await using var sink = await SmtpSink.StartAsync();
        var settings = Settings(fixture.Server, SmtpSettings(sink.Port));
        settings["Digest:Schedule"] = "* * * * * ?";
        using var app = new NewsletterApp(settings, provider);
        await StartWithSampleKeyAsync(app);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 5);
        await PublishAsync(admin, "first-verdict");
        await admin.PostAsync("/api/digests/send", null);
        await WaitForIssueAsync(admin, 1, i => i.Status == "sent");
        var first = await sink.WaitForMessagesAsync(5);

        // Back come, addressed as the mails really went out (VERP envelope sender, token header): a hard
        // bounce for reader 1 (Postfix shape), a complaint for reader 2 (ARF, only the original quoted),
        // a soft bounce for reader 3 (mailbox full), and a forged hard bounce for reader 4.
        var toFirst = Mail(first, readers[0].Email);
        Assert.StartsWith("bounces+", toFirst.EnvelopeSender, StringComparison.Ordinal);
        await fixture.Server.AppendAsync(Dsn(toFirst.EnvelopeSender, readers[0].Email, "failed", "5.1.1", toFirst.Message));
        var toSecond = Mail(first, readers[1].Email);
        await fixture.Server.AppendAsync(Arf(toSecond.Message.Headers[Verp.TokenHeader]!.Trim(), toSecond.Message));
        var toThird = Mail(first, readers[2].Email);
        await fixture.Server.AppendAsync(Dsn(toThird.EnvelopeSender, readers[2].Email, "failed", "5.2.2", toThird.Message));
        var forged = Mail(first, readers[3].Email).EnvelopeSender.Replace("+", "+x", StringComparison.Ordinal);
        await fixture.Server.AppendAsync(Dsn(forged, readers[3].Email, "failed", "5.1.1", toThird.Message));

        var scheduler = await Service<ISchedulerFactory>(app).GetScheduler();
        await scheduler.TriggerJob(InboundJob.Key);
        await WaitUntilAsync(async () => (await fixture.Server.ListAsync("INBOX")).Count == 0, TimeSpan.FromSeconds(30));

        Assert.Equal("Bounced", (await ReaderAsync(app, readers[0].Id)).Status);
        Assert.Equal("Complained", (await ReaderAsync(app, readers[1].Id)).Status);
        Assert.Equal(("Confirmed", 1), ((await ReaderAsync(app, readers[2].Id)).Status, (await ReaderAsync(app, readers[2].Id)).SoftBounces));
        Assert.Equal("Confirmed", (await ReaderAsync(app, readers[3].Id)).Status);
        Assert.Single(await fixture.Server.ListAsync("Review"));
        var counts = await app.WithDbAsync(db => DeliveryReportCounts.CountAsync(db, 1, CancellationToken.None));
        Assert.Equal(new IssueReportCounts(1, 1), counts);

        // The editors see why mail stopped.
        var list = JsonDocument.Parse(await admin.GetStringAsync("/api/subscribers?status=complained")).RootElement;
        var complained = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.StartsWith("complaint", complained.GetProperty("stoppedReason").GetString(), StringComparison.Ordinal);

        await Task.Delay(1100); // the next schedule slot (one a second here)
        await PublishAsync(admin, "second-verdict");
        await admin.PostAsync("/api/digests/send", null);
        await WaitForIssueAsync(admin, 2, i => i.Status == "sent");
        var all = await sink.WaitForMessagesAsync(8);
        var second = all.Skip(5).Select(m => Assert.Single(m.Recipients)).Order().ToList();
        Assert.Equal(new[] { readers[2].Email, readers[3].Email, readers[4].Email }, second);

        await EmptyAsync(fixture.Server);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task TheWebhookActsLikeTheMailboxAndNamesWhatIsWrong(DatabaseProvider provider)
    {
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Bounces:SoftBounceLimit"] = "2" }, provider);
        var admin = app.CreateAdminClient();
        var readers = await AddReadersAsync(app, 3);

        var bad = await admin.PostAsJsonAsync("/api/bounces", new { email = "not an address", type = "bouncy" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("type", out _));

        var unknown = await admin.PostAsJsonAsync("/api/bounces", new { email = "nobody@example.com", type = "hard" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var noKey = await app.CreateClient().PostAsJsonAsync("/api/bounces", new { email = readers[0].Email, type = "hard" });
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/bounces",
            new { email = readers[0].Email, type = "hard", reason = "550 5.1.1 user unknown" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/bounces",
            new { email = readers[1].Email.ToUpperInvariant(), type = "complaint" })).StatusCode);
        var soft = await admin.PostAsJsonAsync("/api/bounces", new { email = readers[2].Email, type = "soft", reason = "mailbox full" });
        Assert.Equal("confirmed", JsonDocument.Parse(await soft.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        var softAgain = await admin.PostAsJsonAsync("/api/bounces", new { email = readers[2].Email, type = "soft", reason = "mailbox full" });
        Assert.Equal("bounced", JsonDocument.Parse(await softAgain.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        Assert.Equal(("Bounced", true), ((await ReaderAsync(app, readers[0].Id)).Status, (await ReaderAsync(app, readers[0].Id)).Reason!.Contains("5.1.1", StringComparison.Ordinal)));
        Assert.Equal("Complained", (await ReaderAsync(app, readers[1].Id)).Status);
        Assert.Equal("Bounced", (await ReaderAsync(app, readers[2].Id)).Status);

        // An import cannot bring back one who complained.
        var import = await admin.PostAsync("/api/subscribers/import", new StringContent($"email,name,status\n{readers[1].Email},Back,confirmed\n", System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
        Assert.Single(JsonDocument.Parse(await import.Content.ReadAsStringAsync()).RootElement.GetProperty("invalid").EnumerateArray());
        Assert.Equal("Complained", (await ReaderAsync(app, readers[1].Id)).Status);
    }

    [Fact]
    public async Task RealShapesFromTheCorpusChangeExactlyTheReadersTheyShould()
    {
        // Train samples of the corpus (issue 5, the samples' key), through Dovecot, the job and the database:
        // plain-text qmail and an Office 365 NDR (dead addresses), a Gmail 5.7.1 refusal (our problem), a
        // mail.ru mailbox full (may pass), an ARF abuse report and an Outlook.com forwarded complaint,
        // and a forged bounce (no change, to Review).
        (string File, long Reader, string Status, int SoftBounces)[] cases =
        [
            ("qmail-04.eml", 50119, "Bounced", 0),
            ("office365-01.eml", 88582, "Bounced", 0),
            ("gmail-17.eml", 88385, "Confirmed", 0),
            ("mail-ru-06.eml", 65337, "Confirmed", 1),
            ("arf-01.eml", 42862, "Complained", 0),
            ("outlook-jmrp-05.eml", 74348, "Complained", 0),
        ];
        using var app = new NewsletterApp(Settings(fixture.Server));
        await StartWithSampleKeyAsync(app);
        await AddSampleReadersAsync(app, [.. cases.Select(c => c.Reader)]);
        foreach (var c in cases)
        {
            await fixture.Server.AppendAsync(MimeMessage.Load(Path.Combine(AppContext.BaseDirectory, "Inbound", "Corpus", "train", c.File)));
        }

        await fixture.Server.AppendAsync(MimeMessage.Load(Path.Combine(AppContext.BaseDirectory, "Inbound", "Corpus", "train", "qmail-14.eml")));

        var scheduler = await Service<ISchedulerFactory>(app).GetScheduler();
        await scheduler.TriggerJob(InboundJob.Key);
        await WaitUntilAsync(async () => (await fixture.Server.ListAsync("INBOX")).Count == 0, TimeSpan.FromSeconds(30));

        foreach (var c in cases)
        {
            var reader = await ReaderAsync(app, c.Reader);
            Assert.True((c.Status, c.SoftBounces) == (reader.Status, reader.SoftBounces), $"{c.File}: {reader.Status}, {reader.SoftBounces} soft ({reader.Reason})");
        }

        Assert.Single(await fixture.Server.ListAsync("Review"));
        var sender = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.DeliveryReports, r => r.SubscriberId == 88385));
        Assert.Equal((ReportKind.Sender, "policy", "5.7.1", "googlemail.com"), (sender.Kind, sender.Reason, sender.Status, sender.RecipientDomain));
        Assert.Contains("RFC 5322", sender.Diagnostic, StringComparison.Ordinal);

        await EmptyAsync(fixture.Server);
    }

    private static ReceivedMail Mail(IReadOnlyList<ReceivedMail> mails, string to) => mails.Single(m => m.Recipients.Contains(to));

    private static MimeMessage Dsn(string envelopeSender, string recipient, string action, string status, MimeMessage original)
    {
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = $"This is the mail system at host mx.verdicts.example.com.\n\n<{recipient}>: {status}\n" },
        };
        var dsn = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; mx.verdicts.example.com" } };
        var perRecipient = new HeaderList
        {
            { "Final-Recipient", "rfc822; " + recipient },
            { "Action", action },
            { "Status", status },
            { "Diagnostic-Code", $"smtp; {(status[0] == '5' ? 550 : 450)} {status} <{recipient}>: mailbox problem" },
        };
        dsn.StatusGroups.Add(perMessage);
        dsn.StatusGroups.Add(perRecipient);
        report.Add(dsn);
        report.Add(new TextRfc822Headers { Message = HeadersOnly(original) });
        var message = new MimeMessage { Subject = action == "delayed" ? "Delayed Mail (still being retried)" : "Undelivered Mail Returned to Sender", Body = report };
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.verdicts.example.com"));
        message.To.Add(MailboxAddress.Parse(envelopeSender));
        message.Headers.Add("Delivered-To", envelopeSender);
        message.Headers.Add("Auto-Submitted", "auto-replied");
        return message;
    }

    private static MimeMessage Arf(string token, MimeMessage original)
    {
        // What the send path puts in each digest once the engine passes the VERP identity (see the README).
        var quoted = HeadersOnly(original);
        quoted.Headers.Add(Verp.TokenHeader, token);
        var feedback = new MessageFeedbackReport();
        feedback.Fields.Add("Feedback-Type", "abuse");
        feedback.Fields.Add("User-Agent", "ExampleISP-FBL/1.0");
        feedback.Fields.Add("Version", "1");
        var message = new MimeMessage
        {
            Subject = "FW: " + original.Subject,
            Body = new MultipartReport("feedback-report") { new TextPart("plain") { Text = "This is an email abuse report." }, feedback, new MessagePart { Message = quoted } },
        };
        message.From.Add(MailboxAddress.Parse("feedback@arf.example-isp.com"));
        message.To.Add(MailboxAddress.Parse(InboundSamples.ReturnPath));
        return message;
    }

    private static MimeMessage HeadersOnly(MimeMessage original)
    {
        var copy = new MimeMessage();
        copy.Headers.Clear();
        foreach (var header in original.Headers)
        {
            copy.Headers.Add(header.Field, header.Value);
        }

        return copy;
    }

    private static async Task EmptyAsync(Dovecot dovecot)
    {
        using var client = await dovecot.ConnectAsync();
        foreach (var name in new[] { "Processed", "Review" })
        {
            await (await client.GetFolderAsync(name)).DeleteAsync();
        }

        await client.DisconnectAsync(true);
    }
}
