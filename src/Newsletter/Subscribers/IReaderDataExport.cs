using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// One part of what a reader may download about themselves (their votes, the issues sent to them),
/// answered by the feature that keeps it from its own tables, as <see cref="IReaderErasure"/> does for
/// erasure: Subscribers reads only Subscribers and names none of them.
/// </summary>
public interface IReaderDataExport
{
    /// <summary>The part's name in the download ("votes", "issues").</summary>
    string Part { get; }

    /// <summary>The part's content, serialised as JSON as it stands.</summary>
    Task<object> ExportAsync(NewsletterDbContext db, long subscriberId, CancellationToken cancellationToken);
}
