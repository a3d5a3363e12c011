namespace Newsletter.Clicks;

/// <summary>
/// A reader's GET of a tracked link that passed the in-memory rules (agent, recording limits),
/// waiting in <see cref="ClickBuffer"/> for <see cref="ClickWriter"/>: the time is the request's.
/// </summary>
public sealed record PendingClick(long LinkId, long IssueId, string UnsubscribeToken, DateTimeOffset ClickedAt);
