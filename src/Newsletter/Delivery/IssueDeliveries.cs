using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Inbound;

namespace Newsletter.Delivery;

/// <summary>
/// Delivery's answer to Digests' issue routes: an issue's delivery counts, the rate and ETA of the
/// whole send (from the rates every sending instance reports on its lease; this process's own run
/// until the first report is in), its bounces and complaints, and the mail held for paused domains.
/// </summary>
public sealed class IssueDeliveries(NewsletterDbContext db, IDeliveryStore store, DeliveryEngine engine) : IIssueDeliveries
{
    public async Task<IssueDeliveryFigures> ForIssueAsync(DigestIssue issue, CancellationToken cancellationToken)
    {
        var counts = await store.Reads.CountAsync(issue.Id, cancellationToken);
        var reports = await DeliveryReportCounts.CountAsync(db, issue.Id, cancellationToken);
        var progress = await ClusterProgressAsync(issue, counts, cancellationToken);
        return new IssueDeliveryFigures(
            counts.Queued, counts.Sending, counts.Sent, counts.Failed, counts.Skipped,
            progress?.RatePerSecond, progress?.Eta?.TotalSeconds, reports.Bounced, reports.Complained,
            await DomainPauses.HeldForIssueAsync(db, issue.Id, cancellationToken));
    }

    private async Task<SendProgress?> ClusterProgressAsync(DigestIssue issue, DeliveryCounts counts, CancellationToken ct)
    {
        var local = engine.CurrentProgress is { } p && p.IssueId == issue.Id ? p : null;
        if (issue.Status != DigestIssueStatus.Sending || await store.Leases.RateAsync(issue.Id, ct) is not { } rate || rate <= 0)
        {
            return local;
        }

        return new SendProgress(issue.Id, issue.Number, counts.Total, counts.Sent, counts.Failed, counts.Skipped, Math.Round(rate, 1));
    }
}
