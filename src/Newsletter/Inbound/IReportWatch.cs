using Newsletter.Data;

namespace Newsletter.Inbound;

/// <summary>
/// Told of every report recorded (mailbox or webhook), inside its transaction: Delivery's reputation
/// guard implements it, so a run of complaints or sender problems at one domain pauses mail there.
/// Inbound defines it so that the arrow keeps pointing from Delivery to Inbound.
/// </summary>
public interface IReportWatch
{
    Task ReportedAsync(NewsletterDbContext db, long? issueId, long? subscriberId, string? recipientDomain, ReportKind kind, CancellationToken cancellationToken);
}
