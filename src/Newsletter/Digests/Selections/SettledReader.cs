namespace Newsletter.Digests.Selections;

/// <summary>
/// A chooser's "settled up to issue N" mark: every comparison carried by an issue with
/// Id &lt;= <see cref="UpToIssueId"/> has been judged for this reader, with the choice they still
/// have and the topics those comparisons still carry, and whatever of them matched is in the ledger.
/// Making an issue then matches a settled reader against the later issues only (the new one, as a
/// rule), so its cost stops growing with the list's history.
/// <para>
/// A mark only saves time: a missing one means "judge the whole history", which is always right.
/// So it is ignored, never trusted, when it may be stale: when the reader's choice was saved since
/// (<see cref="ChoiceUpdatedAt"/> differs from ReaderPreferences.UpdatedAt), or, for a reader who
/// picked topics, when the topics of the comparisons carried up to N differ from those it was
/// judged with (<see cref="TopicsStamp"/>: an editor re-categorised a published comparison).
/// </para>
/// </summary>
public sealed class SettledReader
{
    public long SubscriberId { get; set; }

    public long UpToIssueId { get; set; }

    /// <summary>ReaderPreferences.UpdatedAt as the issue that set the mark read it, copied by the database (no clock of ours in between).</summary>
    public DateTimeOffset ChoiceUpdatedAt { get; set; }

    /// <summary>A hash of the topics of the comparisons carried up to <see cref="UpToIssueId"/> (empty: nobody had picked topics then).</summary>
    public string TopicsStamp { get; set; } = "";
}
