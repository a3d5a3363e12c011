using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>What an import did: counts, and each row left out with its line and reason.</summary>
public sealed record ImportResult(int Added, int Updated, int Unchanged, IReadOnlyList<InvalidRow> Invalid);

/// <summary>
/// Imports a subscriber CSV. Every row is checked first; the valid ones are written in one
/// transaction with one SaveChanges, so a database error (or a cancelled request) leaves nothing
/// half-imported. New addresses get the row's status or, without one, Confirmed: an editor imports
/// a list whose readers already opted in elsewhere. No mail is sent. An existing subscriber keeps
/// their status when the row gives none; an unsubscribed or bounced one is never brought back by
/// an import (that is the reader's choice alone) and the row is reported instead.
/// </summary>
public sealed class SubscriberImport(NewsletterDbContext db, TimeProvider clock, ILogger<SubscriberImport> logger)
{
    public async Task<ImportResult> ImportAsync(Stream csv, string source, CancellationToken cancellationToken)
    {
        var parsed = await SubscriberCsv.ReadAsync(csv, cancellationToken);
        var invalid = parsed.Invalid.ToList();
        var now = clock.GetUtcNow();
        int added = 0, updated = 0, unchanged = 0;

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var keys = parsed.Rows.Select(r => r.Email.Key).ToList();
        var existing = await db.Subscribers.Where(s => keys.Contains(s.EmailKey)).ToDictionaryAsync(s => s.EmailKey, cancellationToken);

        foreach (var row in parsed.Rows)
        {
            if (!existing.TryGetValue(row.Email.Key, out var subscriber))
            {
                subscriber = new Subscriber
                {
                    Email = row.Email.Value,
                    EmailKey = row.Email.Key,
                    Name = row.Name,
                    Status = SubscriberStatus.Pending,
                    CreatedAt = now,
                    ConsentAt = now,
                    ConsentSource = source,
                    UnsubscribeToken = SubscriberTokens.New(),
                };
                subscriber.ChangeStatus(row.Status ?? SubscriberStatus.Confirmed, now);
                db.Subscribers.Add(subscriber);
                added++;
                continue;
            }

            var comesBack = subscriber.Status is SubscriberStatus.Unsubscribed or SubscriberStatus.Bounced &&
                row.Status is SubscriberStatus.Confirmed or SubscriberStatus.Pending;
            if (comesBack)
            {
                invalid.Add(new InvalidRow(row.Line,
                    $"{SubscriberCsv.StatusName(subscriber.Status)}: only the reader can subscribe again, through the form"));
                continue;
            }

            var changed = false;
            if (row.Name is not null && row.Name != subscriber.Name)
            {
                subscriber.Name = row.Name;
                changed = true;
            }

            if (row.Status is { } status && status != subscriber.Status)
            {
                subscriber.ChangeStatus(status, now);
                changed = true;
            }

            if (changed)
            {
                updated++;
            }
            else
            {
                unchanged++;
            }
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Subscriber import from {Source}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Invalid} invalid",
            source, added, updated, unchanged, invalid.Count);
        return new ImportResult(added, updated, unchanged, [.. invalid.OrderBy(i => i.Line)]);
    }
}
