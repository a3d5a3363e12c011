namespace Newsletter.Digests.Selections;

/// <summary>
/// One comparison carried to one reader, fixed when the issue that carries it to them is made (in the
/// same transaction as the issue's delivery rows) and never recomputed: a resume after a kill, or a
/// reader changing topics mid-send, sends what was fixed. The key (reader, comparison) makes "never
/// twice" a fact of the database.
/// <para>
/// Only readers who made a choice (a ReaderPreferences row) get rows here. A reader who never chose
/// gets each issue whole, so their delivery row alone says what they had: every comparison of that
/// issue. That keeps issue-making for a list of defaults at one row per reader, as before.
/// </para>
/// </summary>
public sealed class ReaderLedgerEntry
{
    public long SubscriberId { get; set; }

    public long ComparisonId { get; set; }

    /// <summary>The issue whose mail carries it to this reader (not always the issue that first carried it).</summary>
    public long IssueId { get; set; }
}
