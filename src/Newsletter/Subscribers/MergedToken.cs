namespace Newsletter.Subscribers;

/// <summary>
/// The unsubscribe token of a row merged into another (<see cref="DuplicateReaders"/>): mails sent to
/// the duplicate carry it in their links and List-Unsubscribe header, and those must keep working.
/// </summary>
public sealed class MergedToken
{
    public required string Token { get; set; }

    public long SubscriberId { get; set; }

    public DateTimeOffset MergedAt { get; set; }
}
