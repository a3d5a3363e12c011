namespace Newsletter.SendingSetup;

/// <summary>
/// One DMARC aggregate report (RFC 7489 7.2, appendix C) from the bounce mailbox: who reported, for
/// which period, and per source IP how many mails passed DKIM and SPF aligned (the receiver's
/// policy_evaluated). One row per (reporting organisation, report id): a report seen twice is kept once.
/// </summary>
public sealed class DmarcReport
{
    public const int TextLength = 200;

    public long Id { get; set; }

    public required string Organization { get; set; }

    public required string ReportId { get; set; }

    /// <summary>The domain the report is about (policy_published).</summary>
    public required string Domain { get; set; }

    /// <summary>The p= the receiver saw published.</summary>
    public string? Policy { get; set; }

    public DateTimeOffset Begin { get; set; }

    public DateTimeOffset End { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public List<DmarcReportRow> Rows { get; set; } = [];
}

/// <summary>A row of a report: mails from one source IP with one outcome.</summary>
public sealed class DmarcReportRow
{
    public long Id { get; set; }

    public long DmarcReportId { get; set; }

    public required string SourceIp { get; set; }

    public int Count { get; set; }

    /// <summary>DKIM passed and aligned with the From domain (policy_evaluated/dkim = pass).</summary>
    public bool DkimAligned { get; set; }

    /// <summary>SPF passed and aligned (policy_evaluated/spf = pass).</summary>
    public bool SpfAligned { get; set; }

    /// <summary>What the receiver did: none, quarantine or reject.</summary>
    public required string Disposition { get; set; }
}
