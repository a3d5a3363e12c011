namespace Newsletter.Web;

/// <summary>
/// The audit log as every feature sees it: who did what, when. The actor is read from the request
/// (<see cref="Acting"/>) unless given; a detail never holds a reader's address (an erased reader
/// must not stay in the log), only counts, issue numbers, slugs and editors' addresses.
/// </summary>
/// <remarks>
/// The editors' changes made through the admin API and the console are recorded for every route at
/// once (Audit/AuditTrail, by route); call this for what happens elsewhere (a sign-in, a command).
/// </remarks>
public interface IAuditLog
{
    Task RecordAsync(string action, string? detail = null, string? actor = null, CancellationToken cancellationToken = default);
}
