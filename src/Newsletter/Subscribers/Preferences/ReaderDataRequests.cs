using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// A reader's own data and erasure. The preference page (whose link a forwarded digest hands to
/// anyone) only asks; <see cref="DataRequestMailer"/> mails a one-time link to the reader's address,
/// and that link's POST does it. A link is single-purpose, stored as its SHA-256 only, works once and
/// for <see cref="LinkLifetime"/>.
/// </summary>
public sealed class ReaderDataRequests(
    NewsletterDbContext db,
    SubscriberDirectory directory,
    IEnumerable<IReaderDataExport> parts,
    DataRequestMailer mailer,
    TimeProvider clock,
    ILogger<ReaderDataRequests> logger)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    /// <summary>A second ask within this time mails nothing more: a forwarded link cannot flood the reader's inbox.</summary>
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Queues the mail with the link; the masked address it goes to, or null when the preference token is unknown.</summary>
    public async Task<string?> AskAsync(string? preferenceToken, DataRequestPurpose purpose, CancellationToken cancellationToken)
    {
        var subscriber = SubscriberTokens.LooksValid(preferenceToken)
            ? await db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.UnsubscribeToken == preferenceToken && s.Status == SubscriberStatus.Confirmed, cancellationToken)
            : null;
        if (subscriber is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var since = now - AskAgainAfter;
        var asked = await db.ReaderDataRequests.AnyAsync(
            r => r.SubscriberId == subscriber.Id && r.Purpose == purpose && r.UsedAt == null && r.RequestedAt > since, cancellationToken);
        if (!asked)
        {
            db.ReaderDataRequests.Add(new ReaderDataRequest { SubscriberId = subscriber.Id, Purpose = purpose, RequestedAt = now, MailDueAt = now });
            await db.SaveChangesAsync(cancellationToken);
            mailer.Wake();
            logger.LogInformation("Subscriber {SubscriberId} asked for a {Purpose} link", subscriber.Id, purpose);
        }

        return Unsubscription.Mask(subscriber.Email);
    }

    /// <summary>The masked address a valid, unused link of that purpose is for; null otherwise. Changes nothing.</summary>
    public async Task<string?> FindAsync(string? token, DataRequestPurpose purpose, CancellationToken cancellationToken)
    {
        var request = await ValidAsync(token, purpose, cancellationToken);
        return request is null ? null
            : await db.Subscribers.Where(s => s.Id == request.SubscriberId).Select(s => s.Email).SingleOrDefaultAsync(cancellationToken) is { } email
                ? Unsubscription.Mask(email) : null;
    }

    /// <summary>Spends an export link and returns the reader's data as JSON (UTF-8); null when the link is not valid.</summary>
    public async Task<byte[]?> ExportAsync(string? token, CancellationToken cancellationToken)
    {
        var request = await ValidAsync(token, DataRequestPurpose.Export, cancellationToken);
        if (request is null)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Spent first, with a guard: of two presses only one finds it unused.
        if (await db.ReaderDataRequests.Where(r => r.Id == request.Id && r.UsedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.UsedAt, clock.GetUtcNow()), cancellationToken) != 1)
        {
            return null;
        }

        var subscriber = await db.Subscribers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == request.SubscriberId, cancellationToken);
        if (subscriber is null)
        {
            return null;
        }

        var preference = await db.Set<ReaderPreference>().AsNoTracking().Include(p => p.Topics)
            .SingleOrDefaultAsync(p => p.SubscriberId == subscriber.Id, cancellationToken);
        var data = new Dictionary<string, object?>
        {
            ["email"] = subscriber.Email,
            ["name"] = subscriber.Name,
            ["status"] = SubscriberCsv.StatusName(subscriber.Status),
            ["subscribedAt"] = subscriber.CreatedAt,
            ["consent"] = new { At = subscriber.ConsentAt, Ip = subscriber.ConsentIp, Source = subscriber.ConsentSource },
            ["confirmed"] = new { At = subscriber.ConfirmedAt, Ip = subscriber.ConfirmedIp, UserAgent = subscriber.ConfirmedUserAgent },
            ["unsubscribedAt"] = subscriber.UnsubscribedAt,
            ["bouncedAt"] = subscriber.BouncedAt,
            ["complainedAt"] = subscriber.ComplainedAt,
            ["frequency"] = (preference?.Frequency ?? ReadingFrequency.Weekly).ToString().ToLowerInvariant(),

            // Empty: every topic, including ones that appear later.
            ["topics"] = preference?.Topics.Select(t => t.Topic).Order(StringComparer.Ordinal).ToList() ?? [],
        };
        foreach (var part in parts)
        {
            data[part.Part] = await part.ExportAsync(db, subscriber.Id, cancellationToken);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(data, Json);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Subscriber {SubscriberId} downloaded their data", subscriber.Id);
        return json;
    }

    /// <summary>Erases the reader of an erase link, as DELETE /api/subscribers/{email} does; false when the link is not valid.</summary>
    public async Task<bool> EraseAsync(string? token, CancellationToken cancellationToken)
    {
        var request = await ValidAsync(token, DataRequestPurpose.Erase, cancellationToken);
        var email = request is null ? null
            : await db.Subscribers.Where(s => s.Id == request.SubscriberId).Select(s => s.Email).SingleOrDefaultAsync(cancellationToken);

        // The erasure takes the request (and so the link) with the reader's row: a second press finds nothing.
        return email is not null && await directory.EraseAsync(email, cancellationToken);
    }

    private async Task<ReaderDataRequest?> ValidAsync(string? token, DataRequestPurpose purpose, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.LooksValid(token))
        {
            return null;
        }

        var hash = SubscriberTokens.Hash(token!);
        var now = clock.GetUtcNow();
        return await db.ReaderDataRequests.AsNoTracking().SingleOrDefaultAsync(
            r => r.TokenHash == hash && r.Purpose == purpose && r.UsedAt == null && r.ExpiresAt > now, cancellationToken);
    }
}
