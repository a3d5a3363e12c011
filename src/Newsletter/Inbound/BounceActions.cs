using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Mail;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

/// <summary>What the actions did with one report: which reader, and whether their status changed.</summary>
public sealed record BounceOutcome(long? SubscriberId, bool Stopped, bool AlreadyHandled);

/// <summary>
/// Turns findings (from the mailbox or the webhook) into the subscriber rules: a hard bounce →
/// bounced at once; soft bounces → counted, bounced at Bounces:SoftBounceLimit in a row; a complaint
/// → complained; an unsubscribe mail → unsubscribed. Each report is kept next to its delivery. The
/// status rules themselves live in <see cref="SubscriberStatusChanges"/>.
/// </summary>
public sealed class BounceActions(
    NewsletterDbContext db, IOptions<BouncesOptions> options, IEnumerable<IReaderDepartures> departures, IReaderHistory history,
    TimeProvider clock, ILogger<BounceActions> logger)
{
    /// <summary>
    /// Applies one mailbox message's findings in one transaction, recorded under its key: a message
    /// whose key is already recorded (seen before, e.g. moved after a crash) changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<BounceOutcome>> ApplyAsync(InboundVerdict verdict, string inboundKey, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.DeliveryReports.AnyAsync(r => r.InboundKey == inboundKey, cancellationToken))
        {
            return [new BounceOutcome(null, false, AlreadyHandled: true)];
        }

        var outcomes = new List<BounceOutcome>();
        foreach (var finding in verdict.Findings)
        {
            outcomes.Add(await ApplyAsync(finding, "mailbox", inboundKey, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    /// <summary>
    /// The webhook's report about an address (POST /api/bounces); null when nobody has that address.
    /// A report already recorded under the same <paramref name="repeat"/> key (a provider's retry)
    /// changes nothing: AlreadyHandled.
    /// </summary>
    public async Task<BounceOutcome?> ApplyWebhookAsync(string email, ReportKind kind, string reason, Webhooks.WebhookRepeat repeat, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Two copies of one report arriving at once (several instances) take turns, so the second sees the first.
        await db.Database.TakeTurnAsync(repeat.Key, cancellationToken);
        var since = clock.GetUtcNow() - options.Value.WebhookRepeatWindow;
        var seen = await db.DeliveryReports.Where(r => r.InboundKey == repeat.Key && (!repeat.Windowed || r.ReceivedAt >= since))
            .Select(r => new { r.SubscriberId }).FirstOrDefaultAsync(cancellationToken);
        if (seen is not null)
        {
            logger.LogInformation("A {Kind} report from the webhook was posted again; counted once", kind);
            return seen.SubscriberId is null ? null : new BounceOutcome(seen.SubscriberId, false, AlreadyHandled: true);
        }

        var outcome = await ApplyAsync(new InboundFinding(kind, null, email, reason), "webhook", repeat.Key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome.SubscriberId is null ? null : outcome;
    }

    private async Task<BounceOutcome> ApplyAsync(InboundFinding finding, string source, string? inboundKey, CancellationToken cancellationToken)
    {
        var (subscriberId, issueId) = await FindAsync(finding, cancellationToken);
        var now = clock.GetUtcNow();
        db.DeliveryReports.Add(new DeliveryReport
        {
            IssueId = issueId,
            SubscriberId = subscriberId,
            Kind = finding.Kind,
            Diagnostic = InboundClassifier.Line(finding.Diagnostic),
            Source = source,
            InboundKey = inboundKey,
            ReceivedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (subscriberId is not { } id)
        {
            logger.LogWarning("A {Kind} report from the {Source} names no known reader", finding.Kind, source);
            return new BounceOutcome(null, false, false);
        }

        var reason = $"{Word(finding.Kind)} ({source}): {InboundClassifier.Line(finding.Diagnostic)}";
        var stopped = finding.Kind switch
        {
            ReportKind.Hard => await SubscriberStatusChanges.StopAsync(db, id, SubscriberStatus.Bounced, reason, now, departures, cancellationToken),
            ReportKind.Complaint => await SubscriberStatusChanges.StopAsync(db, id, SubscriberStatus.Complained, reason, now, departures, cancellationToken),
            ReportKind.Unsubscribe => await SubscriberStatusChanges.StopAsync(db, id, SubscriberStatus.Unsubscribed, reason, now, departures, cancellationToken),

            // The sender's problem (blocked, content, policy): kept above for the editors; the reader stays.
            ReportKind.Sender => false,
            _ => await SubscriberStatusChanges.SoftBounceAsync(
                db, id, issueId, options.Value.SoftBounceLimit, reason, now,
                history, departures, cancellationToken)
                >= options.Value.SoftBounceLimit,
        };
        logger.LogInformation("Subscriber {SubscriberId}: {Kind} report from the {Source}{Stopped}", id, finding.Kind, source, stopped ? "; mail to them stopped" : "");
        return new BounceOutcome(id, stopped, false);
    }

    /// <summary>The reader and issue: from the verified token, or (webhook, no VERP) by address and their latest sent issue.</summary>
    private async Task<(long? SubscriberId, long? IssueId)> FindAsync(InboundFinding finding, CancellationToken cancellationToken)
    {
        if (finding.Recipient is { } r)
        {
            var issueId = await db.Issues.Where(i => i.Number == r.IssueNumber).Select(i => (long?)i.Id).SingleOrDefaultAsync(cancellationToken);
            var exists = await db.Subscribers.AnyAsync(s => s.Id == r.SubscriberId, cancellationToken);
            return (exists ? r.SubscriberId : null, issueId);
        }

        var keys = AddressLookup.KeysOf(finding.Email ?? "");
        var subscriberId = await db.Subscribers.Where(s => keys.Contains(s.EmailKey)).OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken);
        var latest = subscriberId is null ? null : await history.LatestSentIssueAsync(db, subscriberId.Value, cancellationToken);
        return (subscriberId, latest);
    }

    private static string Word(ReportKind kind) => kind switch
    {
        ReportKind.Hard => "hard bounce",
        ReportKind.Soft => "soft bounce",
        ReportKind.Complaint => "complaint",
        ReportKind.Sender => "sender problem",
        _ => "unsubscribe mail",
    };
}
