using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.SendingSetup;

/// <summary>One kept report: who sent it, for when, and how many of the mails it saw passed DKIM and SPF aligned.</summary>
public sealed record DmarcReportSummary(string Organization, string ReportId, string Domain, string? Policy, DateTimeOffset Begin, DateTimeOffset End, int Mails, int DkimAligned, int SpfAligned);

/// <summary>What one receiver saw from one source IP over the reports shown.</summary>
public sealed record DmarcSourceTotal(string Organization, string SourceIp, int Mails, int DkimAligned, int SpfAligned, int Quarantined, int Rejected);

public sealed record DmarcTotals(IReadOnlyList<DmarcReportSummary> Reports, IReadOnlyList<DmarcSourceTotal> Sources);

/// <summary>The last reports' totals, for the console's setup page.</summary>
public sealed class DmarcReportTotals(NewsletterDbContext db)
{
    public async Task<DmarcTotals> LastAsync(int reports, CancellationToken cancellationToken)
    {
        var last = await db.Set<DmarcReport>().AsNoTracking()
            .OrderByDescending(r => r.End).ThenByDescending(r => r.Id)
            .Take(reports)
            .Include(r => r.Rows)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var summaries = last.Select(r => new DmarcReportSummary(
            r.Organization, r.ReportId, r.Domain, r.Policy, r.Begin, r.End,
            r.Rows.Sum(x => x.Count), r.Rows.Where(x => x.DkimAligned).Sum(x => x.Count), r.Rows.Where(x => x.SpfAligned).Sum(x => x.Count))).ToList();
        var sources = last.SelectMany(r => r.Rows.Select(x => (r.Organization, Row: x)))
            .GroupBy(x => (x.Organization, x.Row.SourceIp))
            .Select(g => new DmarcSourceTotal(
                g.Key.Organization, g.Key.SourceIp,
                g.Sum(x => x.Row.Count),
                g.Where(x => x.Row.DkimAligned).Sum(x => x.Row.Count),
                g.Where(x => x.Row.SpfAligned).Sum(x => x.Row.Count),
                g.Where(x => x.Row.Disposition == "quarantine").Sum(x => x.Row.Count),
                g.Where(x => x.Row.Disposition == "reject").Sum(x => x.Row.Count)))
            .OrderBy(s => s.Organization, StringComparer.Ordinal).ThenByDescending(s => s.Mails)
            .ToList();
        return new DmarcTotals(summaries, sources);
    }
}
