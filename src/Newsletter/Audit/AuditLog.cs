using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Web;

namespace Newsletter.Audit;

/// <summary>One page of the log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditView> Entries, int Page, int PageSize, bool HasMore);

public sealed record AuditView(DateTimeOffset At, string Actor, string Action, string? Detail);

/// <summary>
/// The audit log: written in its own scope (a record never rides on, or fails, the caller's unit of
/// work), read newest first, filtered by who acted.
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes, Acting acting, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public async Task RecordAsync(string action, string? detail = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow(),
            Actor = Cut(actor ?? acting.Who, 320),
            Action = Cut(action, 200),
            Detail = detail is null ? null : Cut(detail, 1000),
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
            db.AuditEntries.Add(entry);

            // Written even when the request was aborted just after its change: the change is made.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException e)
        {
            // The change itself stands; losing its log line must not turn it into an error.
            logger.LogError(e, "Could not record in the audit log: {Actor} {Action}", entry.Actor, entry.Action);
        }
    }

    public async Task<AuditPage> ReadAsync(string? actor, int page, int pageSize, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor))
        {
            query = query.Where(e => e.Actor == actor.Trim());
        }

        var rows = await query.OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize + 1)
            .Select(e => new AuditView(e.At, e.Actor, e.Action, e.Detail)).ToListAsync(ct);
        return new AuditPage(rows.Take(pageSize).ToList(), page, pageSize, rows.Count > pageSize);
    }

    /// <summary>Who appears in the log, for the console's filter.</summary>
    public async Task<List<string>> ActorsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return (await db.AuditEntries.AsNoTracking().Select(e => e.Actor).Distinct().ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];
}
