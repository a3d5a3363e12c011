using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Mail.Failures;
using Newsletter.Subscribers;
using Newsletter.Inbound;
using Newsletter.Digests;

namespace Newsletter.Delivery;

/// <summary>
/// The sender's reputation guard: after a complaint or a sender problem is recorded (the mailbox, the
/// webhook, the send path), it counts that issue's figures for the recipient's domain and pauses the
/// domain (<see cref="DomainPauses"/>) when complaints pass Bounces:DomainGuard:ComplaintRate of the
/// mails delivered there, or sender problems pass SenderProblemShare of the mails sent there, each
/// with its minimum count. Per issue, because an issue is one mail to everyone: the figures of one
/// send are what a provider judges.
/// </summary>
public sealed class DomainGuard(DomainPauses pauses, IOptionsMonitor<DomainGuardOptions> options, ILogger<DomainGuard> logger)
{
    /// <summary>The stored names of the reasons that are the sender's problem (blocked, content, policy, rate-limited).</summary>
    public static readonly IReadOnlyList<string> SenderReasons = [.. Enum.GetValues<FailureReason>()
        .Where(r => FailureRules.ConsequenceOf(r, permanent: true) == FailureConsequence.Sender).Select(FailureRules.Name)];

    private static readonly string ComplaintReason = FailureRules.Name(FailureReason.Complaint);

    /// <summary>Checks one issue at one domain; true when this check paused the domain.</summary>
    public async Task<bool> CheckAsync(NewsletterDbContext db, long? issueId, string? domain, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        if (!o.Enabled || issueId is not { } issue || string.IsNullOrWhiteSpace(domain))
        {
            return false;
        }

        domain = domain.Trim().ToLowerInvariant();
        var suffix = "@" + domain;
        var toDomain = db.Deliveries.Where(d => d.IssueId == issue && db.Set<Subscriber>().Any(s => s.Id == d.SubscriberId && s.Email.EndsWith(suffix)));
        var reports = db.DeliveryReports.Where(r => r.IssueId == issue
            && (r.RecipientDomain == domain || db.Set<Subscriber>().Any(s => s.Id == r.SubscriberId && s.Email.EndsWith(suffix))));

        var delivered = await toDomain.CountAsync(d => d.Status == DeliveryStatus.Sent, cancellationToken);
        var complaints = await reports.Where(r => r.Reason == ComplaintReason).Select(r => r.SubscriberId).Distinct().CountAsync(cancellationToken);
        if (complaints >= o.MinimumComplaints && complaints > o.ComplaintRate * delivered)
        {
            var samples = await reports.Where(r => r.Reason == ComplaintReason).OrderByDescending(r => r.Id).Select(r => r.Diagnostic).Take(5).ToListAsync(cancellationToken);
            return await PauseAsync(db, domain, issue,
                $"complaints: {complaints} of {delivered} mails delivered ({Share(complaints, delivered)}; limit {o.ComplaintRate.ToString("0.###%", CultureInfo.InvariantCulture)})",
                samples, cancellationToken);
        }

        var reasons = SenderReasons.ToList();
        var sent = await toDomain.CountAsync(d => d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Failed || d.FailureReason != null, cancellationToken);
        var refusedOnSend = await toDomain.CountAsync(d => d.FailureReason != null && reasons.Contains(d.FailureReason), cancellationToken);
        var reported = await reports.CountAsync(r => r.Reason != null && reasons.Contains(r.Reason), cancellationToken);
        var problems = refusedOnSend + reported;
        if (problems >= o.MinimumSenderProblems && problems > o.SenderProblemShare * sent)
        {
            var samples = await reports.Where(r => r.Reason != null && reasons.Contains(r.Reason)).OrderByDescending(r => r.Id).Select(r => r.Diagnostic).Take(5).ToListAsync(cancellationToken);
            samples.AddRange(await toDomain.Where(d => d.FailureReason != null && reasons.Contains(d.FailureReason) && d.LastError != null)
                .OrderByDescending(d => d.Id).Select(d => d.LastError!).Take(5).ToListAsync(cancellationToken));
            return await PauseAsync(db, domain, issue,
                $"sender problems: {problems} of {sent} mails sent ({Share(problems, sent)}; limit {o.SenderProblemShare.ToString("0.###%", CultureInfo.InvariantCulture)})",
                samples, cancellationToken);
        }

        return false;
    }

    /// <summary>After a send-path group with sender problems: checks each of those deliveries' domains.</summary>
    public async Task CheckDeliveriesAsync(NewsletterDbContext db, long issueId, IReadOnlyCollection<long> deliveryIds, CancellationToken cancellationToken)
    {
        var emails = await db.Deliveries.Where(d => deliveryIds.Contains(d.Id))
            .Join(db.Set<Subscriber>(), d => d.SubscriberId, s => (long?)s.Id, (d, s) => s.Email).ToListAsync(cancellationToken);
        foreach (var domain in emails.Select(DomainPauses.DomainOf).Distinct(StringComparer.Ordinal))
        {
            await CheckAsync(db, issueId, domain, cancellationToken);
        }
    }

    private async Task<bool> PauseAsync(NewsletterDbContext db, string domain, long issueId, string reason, List<string> samples, CancellationToken cancellationToken)
    {
        var number = await db.Issues.Where(i => i.Id == issueId).Select(i => i.Number).FirstOrDefaultAsync(cancellationToken);
        var paused = await pauses.PauseAsync(db, domain, $"{reason} in issue #{number}", samples, issueId, cancellationToken);
        if (paused)
        {
            logger.LogInformation("The reputation guard paused {Domain} after issue #{Number}", domain, number);
        }

        return paused;
    }

    private static string Share(int part, int whole) =>
        whole == 0 ? "no mail delivered" : ((double)part / whole).ToString("0.##%", CultureInfo.InvariantCulture);
}

/// <summary>The guard as the Inbound feature sees it: a complaint or a sender problem was recorded.</summary>
internal sealed class GuardedReports(DomainGuard guard) : Inbound.IReportWatch
{
    public async Task ReportedAsync(NewsletterDbContext db, long? issueId, long? subscriberId, string? recipientDomain, Inbound.ReportKind kind, CancellationToken cancellationToken)
    {
        if (kind is not (Inbound.ReportKind.Complaint or Inbound.ReportKind.Sender))
        {
            return;
        }

        // The reader's address as kept is what the claims compare; the report's own domain when the reader is gone.
        var email = subscriberId is { } id ? await db.Set<Subscriber>().Where(s => s.Id == id).Select(s => s.Email).FirstOrDefaultAsync(cancellationToken) : null;
        await guard.CheckAsync(db, issueId, email is null ? recipientDomain : DomainPauses.DomainOf(email), cancellationToken);
    }
}
