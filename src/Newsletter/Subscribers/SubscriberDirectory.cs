using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>One subscriber as editors see them in the list.</summary>
public sealed record SubscriberListItem(
    string Email, string? Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ConsentAt, string? ConsentIp,
    string? ConsentSource, DateTimeOffset? ConfirmedAt, DateTimeOffset? UnsubscribedAt, DateTimeOffset? BouncedAt)
{
    public DateTimeOffset? ComplainedAt { get; init; }

    /// <summary>Why mail to this reader stopped: a bounce's diagnostic, a complaint, an unsubscribe mail.</summary>
    public string? StoppedReason { get; init; }
}

public sealed record SubscriberPage(IReadOnlyList<SubscriberListItem> Items, int Total, int Page, int PageSize);

/// <summary>The editors' view of the list: search and page through it, and erase one reader.</summary>
public sealed class SubscriberDirectory(NewsletterDbContext db, IEnumerable<IReaderErasure> erasures, ILogger<SubscriberDirectory> logger)
{
    public async Task<SubscriberPage> ListAsync(SubscriberStatus? status, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = db.Subscribers.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(x => x.Status == s);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            // SQLite's LIKE ignores ASCII case (PostgreSQL's ILIKE any case); the search's own % and _ are escaped to mean themselves.
            var pattern = "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            query = db.Database.IsPostgres()
                ? query.Where(x => EF.Functions.ILike(x.EmailKey, pattern, @"\") || EF.Functions.ILike(x.Name!, pattern, @"\"))
                : query.Where(x => EF.Functions.Like(x.EmailKey, pattern, @"\") || EF.Functions.Like(x.Name, pattern, @"\"));
        }

        var total = await query.CountAsync(cancellationToken);

        // Computed in 64 bits: (page - 1) * pageSize overflows an int for a page far beyond the
        // end, which then read as page 1. Beyond the end is an empty page.
        var skip = (long)(page - 1) * pageSize;
        List<Subscriber> items = skip >= total ? [] : await query
            .OrderBy(x => x.Id)
            .Skip((int)skip)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new SubscriberPage(
            [.. items.Select(x => new SubscriberListItem(
                x.Email, x.Name, SubscriberCsv.StatusName(x.Status), x.CreatedAt, x.ConsentAt, x.ConsentIp, x.ConsentSource,
                x.ConfirmedAt, x.UnsubscribedAt, x.BouncedAt) { ComplainedAt = x.ComplainedAt, StoppedReason = x.StoppedReason })],
            total, page, pageSize);
    }

    /// <summary>
    /// Erases a subscriber: the row goes, and every feature that keeps something of the reader erases
    /// it from its own tables (<see cref="IReaderErasure"/>) in the same transaction.
    /// False when no subscriber has that address.
    /// </summary>
    public async Task<bool> EraseAsync(string email, CancellationToken cancellationToken)
    {
        var key = EmailAddress.KeyOf(email);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var id = await db.Subscribers.Where(s => s.EmailKey == key).Select(s => (long?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            return false;
        }

        foreach (var erasure in erasures)
        {
            await erasure.EraseAsync(db, id.Value, cancellationToken);
        }

        await db.Subscribers.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Subscriber {SubscriberId} erased", id);
        return true;
    }
}
