using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Digests;

/// <summary>The app on a fake clock (moved by the test, never by itself), and helpers to add comparisons and make issues.</summary>
public class DigestTestApp(IDictionary<string, string?>? settings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    : NewsletterApp(WithDefaults(settings), provider)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>Upserts the sample comparison under <paramref name="slug"/> through the admin API.</summary>
    public async Task PutAsync(string slug, DateTimeOffset publishedAt, string? title = null)
    {
        using var client = CreateAdminClient();
        var response = await client.PutAsync($"/api/comparisons/{slug}", SampleComparisons.Content(SampleComparisons.With(slug, publishedAt, title ?? slug)));
        response.EnsureSuccessStatusCode();
    }

    public async Task<DigestIssue?> MakeIssueAsync(string slot, bool sent = false)
    {
        await using var scope = Scope();
        var issue = await scope.ServiceProvider.GetRequiredService<DigestAssembler>().MakeIssueAsync(slot, CancellationToken.None);
        if (issue is not null && sent)
        {
            issue.Status = DigestIssueStatus.Sent;
            issue.StartedAt = Clock.GetUtcNow();
            issue.CompletedAt = Clock.GetUtcNow();
            await scope.ServiceProvider.GetRequiredService<Newsletter.Data.NewsletterDbContext>().SaveChangesAsync();
        }

        return issue;
    }

    public async Task<DigestPlan> PlanAsync()
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<DigestAssembler>().PlanAsync(CancellationToken.None);
    }

    /// <summary>Slugs an issue carries, in its order.</summary>
    public Task<List<string>> CarriedAsync(int number) => WithDbAsync(db => db.IssueComparisons
        .Where(ic => ic.Issue!.Number == number).OrderBy(ic => ic.Position).Select(ic => ic.Comparison!.Slug).ToListAsync());

    /// <summary>
    /// Forgets every issue and comparison, so a test of a class-wide app starts from nothing. The
    /// clock only moves forward: tests work relative to Clock.GetUtcNow().
    /// </summary>
    public async Task ResetAsync()
    {
        await WithDbAsync(async db =>
        {
            await db.Deliveries.ExecuteDeleteAsync();
            await db.IssueComparisons.ExecuteDeleteAsync();
            await db.Issues.ExecuteDeleteAsync();
            await db.Comparisons.ExecuteDeleteAsync();
            return 0;
        });
    }

    /// <summary>
    /// The weekly trigger is pushed past these tests' dates: Quartz runs on the app's clock too, and a
    /// test that moves the clock a week must not have the schedule make an issue behind its back.
    /// </summary>
    private static Dictionary<string, string?> WithDefaults(IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?> { ["Digest:Schedule"] = "0 0 9 ? * MON 2099" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
