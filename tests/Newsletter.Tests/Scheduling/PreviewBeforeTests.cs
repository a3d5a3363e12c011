using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Newsletter.Data;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Scheduling;

/// <summary>
/// Digest:PreviewBefore: that long before each scheduled send the editors get the preview by mail,
/// with a link to the draft in the console, once per slot: on SQLite (one instance) and on
/// PostgreSQL with two instances on one database (<see cref="PreviewBeforeOnPostgresTests"/>).
/// A seconds-level schedule (every 6 s, the preview 3 s before) makes several slots in a few seconds.
/// </summary>
public class PreviewBeforeTests : IDisposable
{
    private readonly string _shared = Directory.CreateTempSubdirectory("newsletter-preview-").FullName;
    private TestDatabase? _database;

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>SQLite runs one instance (Quartz is not clustered on it); PostgreSQL runs several.</summary>
    protected virtual int Instances => 1;

    private TestDatabase Shared => _database ??= new TestDatabase(Provider, _shared);

    [Fact]
    public async Task ThePreviewComesBeforeEachSendOncePerSlotWithALinkToTheDraft()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Newsletter"] = Shared.ConnectionString,
            ["Digest:Schedule"] = "0/6 * * * * ?",
            ["Digest:PreviewBefore"] = "00:00:03",
            ["Newsletter:Editors:0"] = "edna@example.com",
        };
        var apps = Enumerable.Range(0, Instances).Select(_ => new NewsletterApp(settings, Provider)).ToList();
        try
        {
            foreach (var app in apps)
            {
                app.CreateAdminClient().Dispose(); // starts the host, its scheduler included
            }

            // The draft's note is in the previews made after it was saved.
            DateTimeOffset saved;
            using (var admin = apps[0].CreateAdminClient())
            {
                var version = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(admin, "/api/digests/next/draft")).GetProperty("version").GetInt32();
                (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(admin, "/api/digests/next/draft", new { note = "Out *soon*.", version })).EnsureSuccessStatusCode();
                saved = DateTimeOffset.UtcNow;
            }

            List<MimeMessage> previews = [];
            await WaitUntilAsync(() =>
            {
                previews = [.. apps.SelectMany(a => Directory.Exists(a.Outbox) ? Directory.GetFiles(a.Outbox, "*.eml") : []).Select(f => MimeMessage.Load(f))];
                return Task.FromResult(previews.Count(m => m.Date > saved.AddSeconds(1)) >= 2);
            }, TimeSpan.FromSeconds(40));
            await Task.Delay(TimeSpan.FromSeconds(1)); // a duplicate would come now
            previews = [.. apps.SelectMany(a => Directory.Exists(a.Outbox) ? Directory.GetFiles(a.Outbox, "*.eml") : []).Select(f => MimeMessage.Load(f))];

            var slots = previews.Select(m => SlotLine(m.TextBody!)).ToList();
            Assert.Equal(slots.Count, slots.Distinct(StringComparer.Ordinal).Count());
            Assert.All(previews, m =>
            {
                Assert.Equal("edna@example.com", m.To.Mailboxes.Single().Address);
                Assert.StartsWith("[Preview] ", m.Subject, StringComparison.Ordinal);
                Assert.Contains("Edit the draft in the console: https://verdicts.example.com/admin", m.TextBody, StringComparison.Ordinal);
                Assert.Contains("href=\"https://verdicts.example.com/admin\"", m.HtmlBody, StringComparison.Ordinal);
            });
            Assert.All(previews.Where(m => m.Date > saved.AddSeconds(1)), m => Assert.Contains("<em>soon</em>", m.HtmlBody, StringComparison.Ordinal));

            // Each slot has its one row (the mail's Date can trail on a loaded machine; the row is the decision).
            Assert.True(await ScalarAsync<int>(Shared, "SELECT COUNT(*) FROM PreviewMailings") >= previews.Count);
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _database?.Dispose();
        Directory.Delete(_shared, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string SlotLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("Preview of the issue that goes out ", StringComparison.Ordinal));
}

/// <summary>Two instances on one PostgreSQL database (clustered Quartz): still one preview per slot.</summary>
public sealed class PreviewBeforeOnPostgresTests : PreviewBeforeTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override int Instances => 2;
}
