using Microsoft.EntityFrameworkCore;
using MimeKit;
using Newsletter.Data;
using Newsletter.Inbound;

namespace Newsletter.SendingSetup;

/// <summary>
/// Keeps the DMARC aggregate reports the bounce mailbox receives (rua= points there): a report
/// about our From domain's organisation is stored once; anything else is left to the classifier
/// (a report about somebody else's domain goes to review like any mail we did not ask for).
/// </summary>
public sealed partial class DmarcReportReader(NewsletterDbContext db, SendingPlan plan, TimeProvider clock, ILogger<DmarcReportReader> logger) : IInboundReportReader
{
    public async Task<bool> TryReadAsync(Stream message, CancellationToken cancellationToken)
    {
        MimeMessage mail;
        try
        {
            mail = await MimeMessage.LoadAsync(message, cancellationToken);
        }
        catch (FormatException)
        {
            return false;
        }

        if (DmarcReportParser.Find(mail) is not { } report
            || !PublicSuffixList.Default.Aligned(report.Domain, plan.FromDomain))
        {
            return false;
        }

        var reports = db.Set<DmarcReport>();
        if (await reports.AnyAsync(r => r.Organization == report.Organization && r.ReportId == report.ReportId, cancellationToken))
        {
            return true;
        }

        report.ReceivedAt = clock.GetUtcNow();
        reports.Add(report);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await reports.AnyAsync(r => r.Organization == report.Organization && r.ReportId == report.ReportId, cancellationToken))
            {
                return true; // another instance kept it first
            }

            throw;
        }

        LogReport(logger, report.Organization, report.ReportId, report.Rows.Sum(r => r.Count));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DMARC aggregate report {ReportId} from {Organization} kept: {Messages} mails")]
    private static partial void LogReport(ILogger logger, string organization, string reportId, int messages);
}
