using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsletter.Delivery;
using Newsletter.Composition;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// The product's send path as the end-to-end run drives it: the same services `run` and `send-now`
/// build (NewsletterFeatures), the same IssueMaker the schedule's job calls, the same DeliveryEngine.
/// The host is built but not started, so neither the schedule nor the background engine run beside
/// the measured send. It runs in a child process (EndToEndRun), so its CPU time and peak RSS are the
/// product's alone.
/// </summary>
internal sealed class ProductSend(WebApplication app) : IAsyncDisposable
{
    public const string NotWired = "not wired";

    public static bool IsWired => true;

    /// <summary>
    /// The start-up work `run` does before its schedule can fire (by the hosted services' type names):
    /// the database checked and migrated (EF Core's model built), every template parsed, duplicate
    /// readers merged, departures replayed. The loops (schedule, engine, mailers, writers) stay off.
    /// </summary>
    private static readonly string[] StartChecks = ["DatabaseMigrator", "TemplateWarmup", "DuplicateReaders", "DepartureReplay"];

    /// <summary>
    /// Builds the product's services against the seeded database and the sink, and does what `run`
    /// does at start, so that the make is timed in the state the schedule finds the product in, not
    /// with the start's own work (EF Core's model, the templates: ~1 CPU s) counted as the make's.
    /// </summary>
    public static async Task<ProductSend> StartAsync(ProductSettings settings, CancellationToken cancellationToken)
    {
        var builder = NewsletterHostBuilder.Create(["send-now"]);
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        builder.Services.AddNewsletter();
        var app = builder.Build();
        var checks = app.Services.GetServices<IHostedService>().Where(s => StartChecks.Contains(s.GetType().Name)).ToList();
        if (checks.Count != StartChecks.Length)
        {
            // A renamed start-up service would otherwise be left out silently, and its cost counted as the make's.
            throw new InvalidOperationException($"expected the start-up services {string.Join(", ", StartChecks)}; found {string.Join(", ", checks.Select(c => c.GetType().Name))}");
        }

        foreach (var check in checks)
        {
            await check.StartAsync(cancellationToken);
        }

        return new ProductSend(app);
    }

    /// <summary>Makes the issue for a new slot: the recipient snapshot, timed on its own.</summary>
    public async Task<MadeIssue> MakeIssueAsync(CancellationToken cancellationToken)
    {
        var made = await app.Services.GetRequiredService<IssueMaker>().MakeAsync($"benchmark-{Guid.NewGuid():N}", cancellationToken);
        return new MadeIssue(made.Issue?.Id ?? throw new InvalidOperationException("no issue was made"), made.Recipients);
    }

    /// <summary>Sends the issue to everyone in its snapshot with the code the schedule runs; returns when done.</summary>
    public Task SendAsync(MadeIssue issue, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<DeliveryEngine>().SendIssueAsync(issue.IssueId, cancellationToken);

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

/// <summary>An issue made for the run: its id and how many deliveries its snapshot made.</summary>
internal sealed record MadeIssue(long IssueId, int Recipients);
