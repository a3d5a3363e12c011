using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Digests;

/// <summary>
/// The subject test through real sends to smtp-sink: a draft with two subjects, a list of a few
/// hundred readers, the sample's halves, clicks on the real /r/ links of half B's mails made
/// through the web host, the wait (the app's clock moved past it), and the rest with the winner's
/// subject. Everyone gets exactly one mail.
/// </summary>
public partial class SubjectTestSendTests
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Title = "Alpha tools";
    private const string FirstSubject = "First {number}: {title}";
    private const string SecondSubject = "Try this: {title}";
    private const string First = "First 1: " + Title;
    private const string Second = "Try this: " + Title;

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task HalfBsClicksMakeTheRestGetTheSecondSubjectAfterARestartDuringTheWait()
    {
        const int readers = 300;
        var data = Directory.CreateTempSubdirectory("newsletter-subject-test-").FullName;
        var connection = Provider == DatabaseProvider.Postgres ? PostgresServer.Shared.CreateDatabase() : ConnectionString(data);
        try
        {
            await using var sink = await SmtpSink.StartAsync();
            var settings = Settings(sink.Port);
            settings["ConnectionStrings:Newsletter"] = connection;

            // 20% of 300 is 60: 30 readers per subject, 240 wait.
            using (var app = new ClockedApp(settings, Provider, new MovableClock()))
            {
                var admin = app.CreateAdminClient();
                await SetUpAsync(app, admin, readers);
                Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/digests/send", null)).StatusCode);
                var sample = await SampleSentAsync(app, admin, sink, 60);
                Assert.Equal(30, sample.Count(m => m.Message.Subject == First));
                Assert.Equal(30, sample.Count(m => m.Message.Subject == Second));

                // A reader of half B clicks a tracked link of their mail (the real /r/ link, through the web host).
                using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                foreach (var mail in sample.Where(m => m.Message.Subject == Second))
                {
                    await ClickAsync(browser, mail);
                }

                var figures = await admin.GetFromJsonAsync<JsonObject>("/api/digests/1/subject-test");
                Assert.Equal(30, figures!["second"]!["answered"]!.GetValue<int>());
                Assert.Equal(0, figures["first"]!["answered"]!.GetValue<int>());
                Assert.Null(figures["winner"]?.GetValue<string>());
            }

            // Restarted after the wait ended (two hours on the clock): the new process names the winner
            // from the database and sends the rest. On PostgreSQL two instances start at once: both
            // race to name it (one conditional update wins) and share the rest.
            var later = Enumerable.Range(0, Provider == DatabaseProvider.Postgres ? 2 : 1)
                .Select(_ => new ClockedApp(settings, Provider, new MovableClock { Offset = TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1) })).ToList();
            try
            {
                var admins = later.Select(a => a.CreateAdminClient()).ToList();
                await WaitForIssueAsync(admins[0], 1, v => v.Status == "sent", TimeSpan.FromSeconds(120));
                var figures = await admins[^1].GetFromJsonAsync<JsonObject>("/api/digests/1/subject-test");
                Assert.Equal("B", figures!["winner"]!.GetValue<string>());
                Assert.StartsWith("the wait ended", figures["winnerBy"]!.GetValue<string>(), StringComparison.Ordinal);
            }
            finally
            {
                later.ForEach(a => a.Dispose());
            }

            // The apps are gone: no further mail can come.
            var all = await EveryoneOnceAsync(null, sink, readers);
            Assert.Equal(30, all.Count(m => m.Message.Subject == First));
            Assert.Equal(readers - 30, all.Count(m => m.Message.Subject == Second));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
            if (Provider == DatabaseProvider.Postgres)
            {
                PostgresServer.Shared.DropDatabase(connection);
            }
        }
    }

    [Fact]
    public async Task SendNowReturnsWhileTheRestWaitsAndTooFewAnswersKeepTheFirstSubject()
    {
        const int readers = 100;
        await using var sink = await SmtpSink.StartAsync();
        var clock = new MovableClock();
        using var app = new ClockedApp(Settings(sink.Port), Provider, clock);
        var admin = app.CreateAdminClient();
        await SetUpAsync(app, admin, readers);

        // send-now's path: make the issue, send it in the foreground. It returns once the sample is
        // out, not two hours later; the issue is not sent, it waits holding no lease.
        var made = await app.Services.GetRequiredService<IssueMaker>().MakeAsync(app.Services.GetRequiredService<SendSlots>().Manual(), CancellationToken.None);
        var progress = await app.Services.GetRequiredService<DeliveryEngine>().SendIssueAsync(made.Issue!.Id, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(40, progress.Sent);
        var waiting = await WaitForIssueAsync(admin, 1, v => v.Status == "paused");
        Assert.Equal((40, 60), (waiting.Sent, waiting.Queued));
        Assert.StartsWith("Subject test", waiting.PauseReason, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync<int>(app, "SELECT COUNT(*) FROM SenderLeases"));
        var sample = await SampleSentAsync(app, admin, sink, 40);

        // A single click in half B is no finding: the first subject stays.
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await ClickAsync(browser, sample.First(m => m.Message.Subject == Second));
        clock.Offset = TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1);
        app.Services.GetRequiredService<DeliveryEngine>().Wake();
        await WaitForIssueAsync(admin, 1, v => v.Status == "sent", TimeSpan.FromSeconds(60));

        var all = await EveryoneOnceAsync(app, sink, readers);
        Assert.Equal(readers - 20, all.Count(m => m.Message.Subject == First));
        Assert.Equal(20, all.Count(m => m.Message.Subject == Second));
        var figures = await admin.GetFromJsonAsync<JsonObject>("/api/digests/1/subject-test");
        Assert.Equal("A", figures!["winner"]!.GetValue<string>());
        Assert.Contains("too few answers", figures["winnerBy"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditorPickingEarlyWinsAndTheTimersLaterDecisionChangesNothing()
    {
        const int readers = 100;
        await using var sink = await SmtpSink.StartAsync();
        var clock = new MovableClock();
        using var app = new ClockedApp(Settings(sink.Port), Provider, clock);
        var admin = app.CreateAdminClient();
        await SetUpAsync(app, admin, readers);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/api/digests/send", null)).StatusCode);
        await SampleSentAsync(app, admin, sink, 40);

        // No answers at all: the timer would keep A. The editor picks B before the wait ends, and the rest goes now.
        var bad = await admin.PostAsJsonAsync("/api/digests/1/subject-test/winner", new { winner = "C" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var pick = await admin.PostAsJsonAsync("/api/digests/1/subject-test/winner", new { winner = "B" });
        Assert.Equal(HttpStatusCode.OK, pick.StatusCode);
        await WaitForIssueAsync(admin, 1, v => v.Status == "sent", TimeSpan.FromSeconds(60));
        var all = await EveryoneOnceAsync(app, sink, readers);
        Assert.Equal(readers - 20, all.Count(m => m.Message.Subject == Second));

        // The wait's end comes later: its conditional update finds the winner named and changes nothing.
        clock.Offset = TimeSpan.FromHours(3);
        await using (var scope = app.Scope())
        {
            var issueId = await ScalarAsync<long>(app, "SELECT Id FROM Issues WHERE Number = 1");
            Assert.True(await scope.ServiceProvider.GetRequiredService<SubjectTests>().DecideIfDueAsync(issueId, CancellationToken.None));
        }

        var again = await admin.PostAsJsonAsync("/api/digests/1/subject-test/winner", new { winner = "A" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var figures = await admin.GetFromJsonAsync<JsonObject>("/api/digests/1/subject-test");
        Assert.Equal(("B", "picked by API key"), (figures!["winner"]!.GetValue<string>(), figures["winnerBy"]!.GetValue<string>()));

        // The audit log names who picked.
        var audit = await admin.GetStringAsync("/api/audit");
        Assert.Contains("Picked a subject test's winner", audit, StringComparison.Ordinal);
        await WaitForEngineToFindNoWorkAsync(app);
        Assert.Equal(readers, sink.Messages().Count);
    }

    [Theory]
    [InlineData(30, 0, 30, 10, "B")] // 10 of 30 against none: B
    [InlineData(30, 4, 30, 6, "B")]
    [InlineData(30, 6, 30, 3, "A")]
    [InlineData(30, 5, 30, 5, "A")] // a tie keeps the first subject
    [InlineData(30, 1, 30, 8, "A")] // nine answers in all: too few, the first subject stays
    [InlineData(10, 5, 40, 12, "A")] // the rate decides, not the count: 50% beats 30%
    public void TheHigherRateWinsATieOrTooFewAnswersKeepTheFirst(int sentA, int answeredA, int sentB, int answeredB, string winner)
    {
        var (won, why) = SubjectTests.Decide(new SubjectHalf("a", sentA, sentA, answeredA), new SubjectHalf("b", sentB, sentB, answeredB));
        Assert.Equal(winner, won);
        Assert.NotEmpty(why);
    }

    [Fact]
    public async Task TheSecondSubjectFollowsTheFirstsRules()
    {
        using var app = new NewsletterApp();
        var admin = app.CreateAdminClient();
        var version = (await admin.GetFromJsonAsync<JsonObject>("/api/digests/next/draft"))!["version"]!.GetValue<int>();

        var unknown = await admin.PutAsJsonAsync("/api/digests/next/draft", new { subject = "One", secondSubject = "Two {name}", version });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("{name}", (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["secondSubject"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var same = await admin.PutAsJsonAsync("/api/digests/next/draft", new { subject = "One", secondSubject = " One ", version });
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        Assert.Contains("same as the first", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var injected = await admin.PutAsJsonAsync("/api/digests/next/draft", new { secondSubject = "Two\r\nBcc: x@example.com", version });
        Assert.Equal(HttpStatusCode.BadRequest, injected.StatusCode);

        var saved = await admin.PutAsJsonAsync("/api/digests/next/draft", new { secondSubject = "Two {title}", version });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("Two {title}", (await saved.Content.ReadFromJsonAsync<JsonObject>())!["secondSubject"]!.GetValue<string>());
    }

    private static Dictionary<string, string?> Settings(int port)
    {
        var settings = SmtpSettings(port);
        settings["Digest:SubjectTestShare"] = "0.2";
        settings["Digest:SubjectTestMinimum"] = "20";
        settings["Digest:SubjectTestWait"] = "02:00:00";

        // Every test click comes from one address.
        settings["Tracking:RecordsPerAddress"] = "100000";
        settings[EngineLooksLogged.Key] = EngineLooksLogged.Value;
        return settings;
    }

    /// <summary>Readers, one comparison, and a draft with two subjects.</summary>
    private static async Task SetUpAsync(NewsletterApp app, HttpClient admin, int readers)
    {
        await AddReadersAsync(app, readers);
        await PublishAsync(admin, "alpha-tools", Title);
        var draft = await admin.GetFromJsonAsync<JsonObject>("/api/digests/next/draft");
        var saved = await admin.PutAsJsonAsync("/api/digests/next/draft", new
        {
            subject = FirstSubject,
            secondSubject = SecondSubject,
            version = draft!["version"]!.GetValue<int>(),
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(SecondSubject, (await admin.GetFromJsonAsync<JsonObject>("/api/digests/next/draft"))!["secondSubject"]!.GetValue<string>());
    }

    /// <summary>Waits until the sample is out and the rest waits; then for the engine to look for work and find none: nothing else goes.</summary>
    private static async Task<IReadOnlyList<ReceivedMail>> SampleSentAsync(NewsletterApp app, HttpClient admin, SmtpSink sink, int sample)
    {
        var waiting = await WaitForIssueAsync(admin, 1, v => v.Status == "paused" && v.Sent == sample, TimeSpan.FromSeconds(60));
        Assert.NotEqual("sent", waiting.Status);
        var mails = await sink.WaitForMessagesAsync(sample);
        await WaitForEngineToFindNoWorkAsync(app);
        Assert.Equal(sample, sink.Messages().Count);
        Assert.Equal("paused", (await IssueAsync(admin, 1))!.Status);
        return mails;
    }

    /// <summary>
    /// Every reader got exactly one mail, once the issue is sent and the running <paramref name="app"/>'s
    /// engine (if any) looked for work and found none; the mails by recipient.
    /// </summary>
    private static async Task<IReadOnlyList<ReceivedMail>> EveryoneOnceAsync(NewsletterApp? app, SmtpSink sink, int readers)
    {
        await sink.WaitForMessagesAsync(readers, TimeSpan.FromSeconds(60));
        if (app is not null)
        {
            await WaitForEngineToFindNoWorkAsync(app);
        }

        var mails = sink.Messages();
        var recipients = mails.Select(m => Assert.Single(m.Recipients)).ToList();
        Assert.Equal(readers, recipients.Count);
        Assert.Equal(readers, recipients.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        return mails;
    }

    /// <summary>Opens the first tracked link of the mail as a reader's browser would.</summary>
    private static async Task ClickAsync(HttpClient browser, ReceivedMail mail)
    {
        var link = WebUtility.HtmlDecode(TrackedLink().Match(mail.Message.HtmlBody!).Groups[1].Value);
        Assert.NotEmpty(link);
        using var request = new HttpRequestMessage(HttpMethod.Get, link);
        request.Headers.UserAgent.ParseAdd(Chrome);
        using var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    [GeneratedRegex("href=\"https://verdicts\\.example\\.com(/r/[^\"]+)\"")]
    private static partial Regex TrackedLink();

    /// <summary>The real clock plus an offset the test moves: the wait ends when the test says so.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    /// <summary>The app on the test's clock.</summary>
    private sealed class ClockedApp(IDictionary<string, string?> settings, DatabaseProvider provider, TimeProvider clock)
        : NewsletterApp(settings, provider)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}

/// <summary>The same subject tests on PostgreSQL.</summary>
public sealed class SubjectTestSendOnPostgresTests : SubjectTestSendTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
