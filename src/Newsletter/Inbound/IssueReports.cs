using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Inbound;

/// <summary>A report that came back for an issue with a failure reason: the reason, the recipient's domain, the server's line.</summary>
public sealed record ReportedFailure(string Reason, string? Domain, string? Diagnostic);

/// <summary>What came back for an issue, read for the editors' console (which never opens the reports' table itself).</summary>
public sealed class IssueReports(NewsletterDbContext db)
{
    /// <summary>Distinct readers who bounced hard or complained, as GET /api/digests/{n} counts them.</summary>
    public Task<IssueReportCounts> CountsAsync(long issueId, CancellationToken cancellationToken) =>
        DeliveryReportCounts.CountAsync(db, issueId, cancellationToken);

    /// <summary>The issue's reports that carry a failure reason, newest first.</summary>
    public async Task<List<ReportedFailure>> FailuresAsync(long issueId, CancellationToken cancellationToken) =>
        (await db.DeliveryReports.AsNoTracking()
            .Where(r => r.IssueId == issueId && r.Reason != null)
            .OrderByDescending(r => r.Id)
            .Select(r => new { r.Reason, r.RecipientDomain, r.Diagnostic })
            .ToListAsync(cancellationToken))
        .Select(r => new ReportedFailure(r.Reason!, r.RecipientDomain, r.Diagnostic))
        .ToList();
}
