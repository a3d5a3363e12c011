using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>Who an unsubscribe link belongs to, as the page shows it.</summary>
public sealed record UnsubscribeTarget(string MaskedEmail, bool AlreadyUnsubscribed);

/// <summary>
/// The unsubscribe rule: the clear-text token from a digest's links finds the subscriber; a POST
/// unsubscribes at once, and the mail not yet sent to them is skipped.
/// </summary>
public sealed class Unsubscription(NewsletterDbContext db, UnsubscribeWriter writer)
{
    /// <summary>For GET /unsubscribe: whose link this is. Changes nothing.</summary>
    public async Task<UnsubscribeTarget?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (!SubscriberTokens.LooksValid(token))
        {
            return null;
        }

        var subscriber = (await LookUpAsync(db, [token!], cancellationToken)).GetValueOrDefault(token!);
        return subscriber is null ? null : new UnsubscribeTarget(Mask(subscriber.Email), subscriber.Status == SubscriberStatus.Unsubscribed);
    }

    /// <summary>
    /// Unsubscribes, committed before it returns (with others waiting, by <see cref="UnsubscribeWriter"/>);
    /// null when the token is unknown. Repeating it is harmless.
    /// </summary>
    public async Task<UnsubscribeTarget?> UnsubscribeAsync(string? token, CancellationToken cancellationToken) =>
        SubscriberTokens.LooksValid(token) ? await writer.WriteAsync(token!, cancellationToken) : null;

    /// <summary>"r•••@example.com": enough for the reader to recognise, little for anyone the mail was forwarded to.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? email : email[..1] + "\u2022\u2022\u2022" + email[at..];
    }

    /// <summary>
    /// The readers (tracked) the tokens are theirs, or were a duplicate's merged into theirs; an
    /// unknown token is not in the answer.
    /// </summary>
    internal static async Task<Dictionary<string, Subscriber>> LookUpAsync(NewsletterDbContext db, IReadOnlyCollection<string> tokens, CancellationToken cancellationToken)
    {
        var distinct = tokens.Distinct(StringComparer.Ordinal).ToList();
        var found = await db.Subscribers.Where(s => distinct.Contains(s.UnsubscribeToken)).ToDictionaryAsync(s => s.UnsubscribeToken, StringComparer.Ordinal, cancellationToken);
        var rest = distinct.Where(t => !found.ContainsKey(t)).ToList();
        if (rest.Count == 0)
        {
            return found;
        }

        var merged = await db.MergedTokens.Where(t => rest.Contains(t.Token)).Select(t => new { t.Token, t.SubscriberId }).ToListAsync(cancellationToken);
        var ids = merged.Select(m => m.SubscriberId).Distinct().ToList();
        var owners = await db.Subscribers.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        foreach (var m in merged)
        {
            found[m.Token] = owners[m.SubscriberId];
        }

        return found;
    }
}
