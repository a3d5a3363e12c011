using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Mail;
using Newsletter.Mail.Failures;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

/// <summary>What the actions did with one report: which reader, and whether their status changed.</summary>
public sealed record BounceOutcome(long? SubscriberId, bool Stopped, bool AlreadyHandled);

/// <summary>
/// Turns findings (from the mailbox or the webhook) into the subscriber rules: a hard bounce →
/// bounced at once; soft bounces → counted, bounced at Bounces:SoftBounceLimit in a row; a complaint
/// → complained; an unsubscribe mail → unsubscribed; the sender's problems and setup reports →
/// recorded (reason, status, diagnostic, recipient domain, issue) with the reader left as they are. Each report is kept next to its delivery. The
/// status rules themselves live in <see cref="SubscriberStatusChanges"/>.
/// </summary>
public sealed class BounceActions(
    NewsletterDbContext db, IOptions<BouncesOptions> options, IEnumerable<IReaderDepartures> departures, IReaderHistory history,
    IEnumerable<IReportWatch> watches, TimeProvider clock, ILogger<BounceActions> logger)
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
    public async Task<BounceOutcome?> ApplyWebhookAsync(
        string email, ReportKind kind, string reason, Webhooks.WebhookRepeat repeat, FailureVerdict? failure, CancellationToken cancellationToken)
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

        var outcome = await ApplyAsync(new InboundFinding(kind, null, email, reason, failure), "webhook", repeat.Key, cancellationToken);
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
            Reason = finding.Failure?.ReasonName ?? ReasonOf(finding.Kind),
            Status = finding.Failure?.Status,
            RecipientDomain = finding.RecipientDomain ?? DomainOf(finding.Email),
            Source = source,
            InboundKey = inboundKey,
            ReceivedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        foreach (var watch in watches)
        {
            await watch.ReportedAsync(db, issueId, subscriberId, finding.RecipientDomain ?? DomainOf(finding.Email), finding.Kind, cancellationToken);
        }

        if (subscriberId is not { } id)
        {
            logger.LogWarning("A {Kind} report from the {Source} names no known reader", finding.Kind, source);
            return new BounceOutcome(null, false, false);
        }

        var reason = $"{Word(finding.Kind)}{(finding.Failure is { } f ? ", " + f.ReasonName : "")} ({source}): {InboundClassifier.Line(finding.Diagnostic)}";
        var stopped = finding.Kind switch
        {
            // Not the reader's doing: kept above for the editors and the domain counts, the reader stays.
            ReportKind.Sender or ReportKind.Setup => false,
            ReportKind.Hard => await SubscriberStatusChanges.StopAsync(db, id, SubscriberStatus.Bounced, reason, now, departures, cancellationToken),
            ReportKind.Complaint => await SubscriberStatusChanges.StopAsync(db, id, SubscriberStatus.Complained, reason, now, departures, cancellationToken),
            ReportKind.Unsubscribe => await SubscriberStatusChanges.StopAsync(db, id, SubscriberStatus.Unsubscribed, reason, now, departures, cancellationToken),

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
        ReportKind.Setup => "setup problem",
        _ => "unsubscribe mail",
    };

    /// <summary>A report that came without the table's verdict (the webhook's bare type): the reason its kind implies.</summary>
    private static string? ReasonOf(ReportKind kind) => kind switch
    {
        ReportKind.Complaint => FailureRules.Name(FailureReason.Complaint),
        ReportKind.Unsubscribe => null,
        _ => FailureRules.Name(FailureReason.Unknown),
    };

    private static string? DomainOf(string? email) =>
        email is { } e && e.LastIndexOf('@') is var at and > 0 ? e[(at + 1)..].Trim().TrimEnd('>').ToLowerInvariant() : null;
}
