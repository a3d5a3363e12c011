using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Newsletter.SendingSetup;

internal sealed class DmarcReportConfiguration : IEntityTypeConfiguration<DmarcReport>
{
    public void Configure(EntityTypeBuilder<DmarcReport> b)
    {
        b.ToTable("DmarcReports");
        b.Property(r => r.Organization).HasMaxLength(DmarcReport.TextLength);
        b.Property(r => r.ReportId).HasMaxLength(DmarcReport.TextLength);
        b.Property(r => r.Domain).HasMaxLength(DmarcReport.TextLength);
        b.Property(r => r.Policy).HasMaxLength(16);

        // Seen before: the same organisation's same report id.
        b.HasIndex(r => new { r.Organization, r.ReportId }).IsUnique();
        b.HasIndex(r => r.End);
        b.HasMany(r => r.Rows).WithOne().HasForeignKey(r => r.DmarcReportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DmarcReportRowConfiguration : IEntityTypeConfiguration<DmarcReportRow>
{
    public void Configure(EntityTypeBuilder<DmarcReportRow> b)
    {
        b.ToTable("DmarcReportRows");
        b.Property(r => r.SourceIp).HasMaxLength(45);
        b.Property(r => r.Disposition).HasMaxLength(16);
    }
}
