using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Inbound;

/// <summary>Readers of one issue whose mail came back hard-bounced, or who complained about it.</summary>
public sealed record IssueReportCounts(int Bounced, int Complained);

public static class DeliveryReportCounts
{
    /// <summary>For GET /api/digests/{n}: distinct readers per outcome, however many reports each sent.</summary>
    public static async Task<IssueReportCounts> CountAsync(NewsletterDbContext db, long issueId, CancellationToken cancellationToken)
    {
        var counts = await db.DeliveryReports.AsNoTracking()
            .Where(r => r.IssueId == issueId && r.SubscriberId != null && (r.Kind == ReportKind.Hard || r.Kind == ReportKind.Complaint))
            .GroupBy(r => r.Kind)
            .Select(g => new { Kind = g.Key, Readers = g.Select(r => r.SubscriberId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        return new IssueReportCounts(
            counts.FirstOrDefault(c => c.Kind == ReportKind.Hard)?.Readers ?? 0,
            counts.FirstOrDefault(c => c.Kind == ReportKind.Complaint)?.Readers ?? 0);
    }
}
