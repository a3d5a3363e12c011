using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>
/// Told, inside the merge's transaction and before the duplicate row goes, that two subscriber rows
/// are one mailbox (see <see cref="DuplicateReaders"/>). Each feature that keeps something of a
/// reader moves it from the duplicate to the reader that stays, in its own tables, so that the
/// mailbox keeps its history and never gets an issue twice; Subscribers names none of them, as with
/// <see cref="IReaderErasure"/>.
/// </summary>
public interface IReaderMerge
{
    Task MergeAsync(NewsletterDbContext db, long duplicateId, long readerId, CancellationToken cancellationToken);
}
