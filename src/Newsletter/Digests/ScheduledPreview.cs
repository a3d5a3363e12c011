using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Hosting;

namespace Newsletter.Digests;

/// <summary>
/// The preview that comes by itself (Digest:PreviewBefore): mailed to the editors, as the
/// preview send mails it, with a line saying when the issue goes out and a link to its draft in the
/// console. Once per send slot whatever fires it: the slot's row in PreviewMailings is inserted
/// first, and on any number of instances only one insert succeeds.
/// </summary>
public sealed class ScheduledPreview(
    NewsletterDbContext db, DigestPreviewer previewer, IOptions<NewsletterOptions> options, IOptions<DigestOptions> digest,
    TimeProvider clock, ILogger<ScheduledPreview> logger)
{
    /// <summary>Mails the preview of the issue the send at <paramref name="sendsAt"/> will make; false when it was not this call's to send.</summary>
    public async Task<bool> SendAsync(DateTimeOffset sendsAt, CancellationToken cancellationToken)
    {
        var slot = sendsAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var now = clock.GetUtcNow();
        if (sendsAt <= now)
        {
            // A fire caught up after the send time (the worker was down): the issue has gone out, and
            // a preview now would show the issue after it under the wrong date.
            logger.LogInformation("No preview for slot {Slot}: its send time has passed", slot);
            return false;
        }

        var recipients = await previewer.RecipientsAsync(null, cancellationToken);
        if (!recipients.IsValid)
        {
            logger.LogWarning("Digest:PreviewBefore is set but there are no editors: no preview for slot {Slot}", slot);
            return false;
        }

        db.PreviewMailings.Add(new PreviewMailing { Slot = slot, SentAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (SqlDialect.IsUniqueViolation(e))
        {
            logger.LogInformation("The preview for slot {Slot} was mailed already", slot);
            return false;
        }

        var zone = digest.Value.Zone;
        var local = TimeZoneInfo.ConvertTime(sendsAt, zone);
        var when = local.ToString(local.Second == 0 ? "'on' dddd d MMMM yyyy 'at' HH:mm" : "'on' dddd d MMMM yyyy 'at' HH:mm:ss", CultureInfo.InvariantCulture) + $" ({zone.Id})";
        try
        {
            await previewer.SendAsync(recipients.Addresses, new PreviewNotice(when, options.Value.Link("/admin")), cancellationToken);
        }
        catch
        {
            // Not mailed: the slot is free again for a later try (a restart, another instance).
            await db.PreviewMailings.Where(p => p.Slot == slot).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }

        logger.LogInformation("Preview for slot {Slot} mailed to the editors", slot);
        return true;
    }
}
