using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Subscribers;
using Newsletter.Inbound;

namespace Newsletter.Delivery;

/// <summary>A paused domain as the console and the API show it, with how much mail waits for it.</summary>
public sealed record PausedDomainView(string Domain, string Reason, IReadOnlyList<string> Samples, DateTimeOffset TrippedAt, int? TrippedInIssue, int Waiting);

/// <summary>
/// The one place a recipient domain is paused, resumed or has its mail cancelled. A paused domain's
/// deliveries stay Queued; the claims (<see cref="IDeliveryQueue.ClaimAsync"/>) pass them over, and an
/// issue whose only mail left waits for paused domains is complete for everyone else (Sent). Resuming
/// puts such issues back in the engine's hands (Queued) so the waiting mail goes out once; cancelling
/// skips it with a reason, and the domain is free for the next issue.
/// </summary>
public sealed class DomainPauses(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DomainPauses> logger)
{
    /// <summary>The reason a cancelled domain's mail is skipped with (LastError of each delivery).</summary>
    public static string CancelledReason(string domain) => $"Mail to {domain} cancelled by an editor (paused by the reputation guard)";

    /// <summary>
    /// The domain of an address as the claims compare it: everything after the @, lower-cased. Addresses
    /// are kept with their domain lower-cased (EmailAddress), so the SQL needs no function of its own.
    /// </summary>
    public static string DomainOf(string email) => email[(email.LastIndexOf('@') + 1)..].Trim().ToLowerInvariant();

    public async Task<List<PausedDomainView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var paused = await db.PausedDomains.AsNoTracking().OrderBy(p => p.Domain).ToListAsync(cancellationToken);
        var views = new List<PausedDomainView>(paused.Count);
        foreach (var p in paused)
        {
            var number = p.IssueId is { } id ? await db.Issues.Where(i => i.Id == id).Select(i => (int?)i.Number).FirstOrDefaultAsync(cancellationToken) : null;
            var waiting = await Waiting(db, p.Domain).CountAsync(cancellationToken);
            views.Add(new PausedDomainView(p.Domain, p.Reason, Lines(p.Samples), p.TrippedAt, number, waiting));
        }

        return views;
    }

    /// <summary>How many of this issue's mails wait for each paused domain (the "N held for domain X" line).</summary>
    public static async Task<Dictionary<string, int>> HeldForIssueAsync(NewsletterDbContext db, long issueId, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var domain in await db.PausedDomains.Select(p => p.Domain).ToListAsync(cancellationToken))
        {
            var n = await Waiting(db, domain).CountAsync(d => d.IssueId == issueId, cancellationToken);
            if (n > 0)
            {
                held[domain] = n;
            }
        }

        return held;
    }

    /// <summary>Pauses the domain unless it already is; true when this call paused it.</summary>
    public async Task<bool> PauseAsync(NewsletterDbContext db, string domain, string reason, IEnumerable<string> samples, long issueId, CancellationToken cancellationToken)
    {
        // One statement that does nothing when another report (or instance) paused it a moment ago: a
        // failed insert would abort the caller's transaction on PostgreSQL. Unquoted names fold alike on both engines.
        var lines = Cut(string.Join('\n', samples.Select(s => s.ReplaceLineEndings(" ").Trim()).Where(s => s.Length > 0).Distinct().Take(5)), 2000);
        var inserted = await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO PausedDomains (Domain, Reason, Samples, IssueId, TrippedAt) VALUES ({0}, {1}, {2}, {3}, {4}) ON CONFLICT (Domain) DO NOTHING",
            [domain, Cut(reason, 500), lines, issueId, clock.GetUtcNow().ToUnixTimeMilliseconds()], cancellationToken);
        if (inserted == 0)
        {
            return false;
        }

        logger.LogWarning("Mail to {Domain} paused by the reputation guard: {Reason}", domain, reason);
        Telemetry.NewsletterMetrics.DomainGuard("trip");
        return true;
    }

    /// <summary>
    /// The domain's mail goes out: the pause is lifted, and the issues that were complete except for
    /// it go back to the engine (Queued), which sends what waits once and completes them again.
    /// False: the domain was not paused.
    /// </summary>
    public async Task<bool> ResumeAsync(string domain, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.PausedDomains.Where(p => p.Domain == domain).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        var waiting = Waiting(db, domain);
        var reopened = await IssueLifecycle.ReopenAsync(db, waiting.Select(d => d.IssueId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Mail to {Domain} resumed by an editor; {Issues} sent issues have mail to send there", domain, reopened);
        Telemetry.NewsletterMetrics.DomainGuard("resume");
        return true;
    }

    /// <summary>
    /// The domain's waiting mail is skipped (with the reason on each delivery) and the pause is lifted,
    /// so the next issue goes there as usual. Returns how many mails were skipped (null: not paused).
    /// </summary>
    public async Task<int?> CancelAsync(string domain, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.PausedDomains.AnyAsync(p => p.Domain == domain, cancellationToken))
        {
            return null;
        }

        var reason = CancelledReason(domain);
        var skipped = await Waiting(db, domain).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.Status, DeliveryStatus.Skipped)
            .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
            .SetProperty(d => d.LastError, reason), cancellationToken);
        await db.PausedDomains.Where(p => p.Domain == domain).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Mail to {Domain} cancelled by an editor: {Skipped} mails skipped; the domain gets the next issue", domain, skipped);
        Telemetry.NewsletterMetrics.DomainGuard("cancel");
        return skipped;
    }

    /// <summary>How many domains are paused (the newsletter.domains.paused gauge).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().PausedDomains.LongCountAsync(cancellationToken);
    }

    /// <summary>Queued deliveries to readers at the domain, in any issue.</summary>
    private static IQueryable<MailDelivery> Waiting(NewsletterDbContext db, string domain)
    {
        var suffix = "@" + domain;
        return db.Deliveries.Where(d => d.Status == DeliveryStatus.Queued
            && db.Set<Subscriber>().Any(s => s.Id == d.SubscriberId && s.Email.EndsWith(suffix)));
    }

    private static List<string> Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
