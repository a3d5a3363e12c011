using Newsletter.SendingSetup;

namespace Newsletter.EditorConsole;

/// <summary>GET /admin/setup: the records to publish with what DNS answers now, alignment, and the last DMARC reports' totals.</summary>
internal static class SetupPage
{
    public const int Reports = 20;

    public static void Map(RouteGroupBuilder console) => console.MapGet("/setup", ShowAsync);

    private static async Task<IResult> ShowAsync(ConsolePages pages, SetupCheck check, DmarcReportTotals totals, CancellationToken ct)
    {
        var report = await check.CheckAsync(ct);
        var dmarc = await totals.LastAsync(Reports, ct);
        return pages.Page(ConsoleSection.Setup, "setup.html", "Sending setup", new
        {
            report.From,
            report.Relay,
            report.Resolver,
            report.DnsError,
            report.Passes,
            Failing = report.Failing,
            report.Alignment,
            Records = report.Records.Select(r => new
            {
                r.Purpose,
                r.Name,
                r.Type,
                r.Verdict,
                r.Found,
                r.ZoneLine,
                r.Required,
                State = StateWord(r),
                Badge = r.State switch
                {
                    RecordState.Right => "confirmed",
                    RecordState.Note => "pending",
                    RecordState.Missing or RecordState.Wrong => r.Required ? "failed" : "skipped",
                    _ => "skipped",
                },
            }).ToList(),
            Reports = dmarc.Reports.Select(r => new
            {
                r.Organization,
                r.ReportId,
                r.Domain,
                Policy = r.Policy ?? "—",
                Period = $"{Display.Date(r.Begin)} – {Display.Date(r.End)}",
                Mails = Display.Number(r.Mails),
                DkimAligned = Display.Number(r.DkimAligned),
                SpfAligned = Display.Number(r.SpfAligned),
            }).ToList(),
            Sources = dmarc.Sources.Select(s => new
            {
                s.Organization,
                s.SourceIp,
                Mails = Display.Number(s.Mails),
                DkimAligned = Display.Number(s.DkimAligned),
                SpfAligned = Display.Number(s.SpfAligned),
                Quarantined = Display.Number(s.Quarantined),
                Rejected = Display.Number(s.Rejected),
            }).ToList(),
            ShownReports = Reports,
        });
    }

    private static string StateWord(SetupRecord r) => r.State switch
    {
        RecordState.Right => "right",
        RecordState.Note => "note",
        RecordState.Missing => r.Required ? "missing" : "none",
        RecordState.Wrong => "wrong",
        RecordState.NotNeeded => "not needed",
        _ => "unknown",
    };
}
