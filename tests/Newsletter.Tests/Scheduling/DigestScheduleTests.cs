using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Scheduling;
using Quartz;
using Newsletter.Tests.Fixtures;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Scheduling;

/// <summary>The Quartz schedule on its persistent store: fires make one issue per slot, and survive a restart.</summary>
public class DigestScheduleTests : IDisposable
{
    private readonly string _shared = Directory.CreateTempSubdirectory("newsletter-schedule-").FullName;
    private TestDatabase? _database;

    /// <summary>The database the apps of this class run on (the subclass below: PostgreSQL).</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>One database for the apps of a test that restarts the worker.</summary>
    private TestDatabase Shared => _database ??= new TestDatabase(Provider, _shared);

    [Fact]
    public async Task ASecondsLevelScheduleMakesOneIssuePerSlotWithSomethingToCarry()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Digest:Schedule"] = "0/2 * * * * ?" }, Provider);
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app, 3);

        await PublishAsync(admin, "scheduled-one", "Scheduled one");
        var first = await WaitForIssueAsync(admin, 1, i => i.Status == "sent", TimeSpan.FromSeconds(20));
        await PublishAsync(admin, "scheduled-two", "Scheduled two");
        var second = await WaitForIssueAsync(admin, 2, i => i.Status == "sent", TimeSpan.FromSeconds(20));
        await WaitForFireAsync(app, DateTimeOffset.Parse(second.Slot, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(4)); // more fires, nothing new to carry

        var issues = (await admin.GetFromJsonAsync<List<IssueView>>("/api/digests", SampleComparisons.Web))!;
        Assert.Equal(2, issues.Count);
        Assert.Contains("Scheduled one", first.Subject, StringComparison.Ordinal);
        Assert.Contains("Scheduled two", second.Subject, StringComparison.Ordinal);
        var slots = issues.Select(i => DateTimeOffset.Parse(i.Slot, CultureInfo.InvariantCulture)).ToList();
        Assert.All(slots, s => Assert.Equal(0, s.Second % 2));
        Assert.Equal(2, slots.Distinct().Count());
        Assert.Equal(6, Directory.GetFiles(app.Outbox, "*.eml").Length);

        var health = await app.CreateAdminClient().GetFromJsonAsync<JsonElement>("/health");
        var scheduler = health.GetProperty("checks").GetProperty("scheduler");
        Assert.Equal("Healthy", scheduler.GetProperty("status").GetString());
        Assert.StartsWith("running", scheduler.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFireMissedWhileTheWorkerWasDownIsSentWhenItComesBack()
    {
        // A daily schedule whose only fire today comes while the worker is down.
        var fire = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Newsletter"] = Shared.ConnectionString,
            ["Digest:Schedule"] = $"{fire.Second} {fire.Minute} {fire.Hour} * * ?",
            ["Digest:TimeZone"] = "UTC",
        };
        using (var before = new NewsletterApp(settings, Provider))
        {
            var admin = before.CreateAdminClient();
            await AddReadersAsync(Shared, 4);
            await PublishAsync(admin, "missed-verdict");
        }

        Assert.Equal(0, await ScalarAsync<int>(Shared, "SELECT COUNT(*) FROM Issues"));

        // Back a minute after the fire time, longer than the misfire threshold (5 s): the restarted
        // worker's clock (Quartz's included) starts there instead of the test waiting for it.
        using var after = new NewsletterApp(settings, Provider);
        using var back = ShiftedClock.StartingAt(after, fire + TimeSpan.FromMinutes(1));
        var editor = back.CreateClient();
        editor.DefaultRequestHeaders.Add("X-Api-Key", NewsletterApp.AdminKey);
        var issue = await WaitForIssueAsync(editor, 1, i => i.Status == "sent", TimeSpan.FromSeconds(20));

        Assert.Equal(SendSlots.Format(fire), issue.Slot);
        Assert.Equal(4, issue.Sent);
        Assert.Equal(1, await ScalarAsync<int>(Shared, "SELECT COUNT(*) FROM Issues"));
    }

    /// <summary>
    /// Waits until the trigger has fired at <paramref name="at"/> or later; the job disallows
    /// concurrent runs, so every earlier fire has finished by then.
    /// </summary>
    private static async Task WaitForFireAsync(NewsletterApp app, DateTimeOffset at)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await scheduler.GetTrigger(DigestScheduleRegistrar.TriggerKey))?.PreviousFireTimeUtc is not { } last || last < at)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database?.Dispose();
        Directory.Delete(_shared, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same schedule on PostgreSQL, in Quartz's clustered store there.</summary>
public sealed class DigestScheduleOnPostgresTests : DigestScheduleTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
