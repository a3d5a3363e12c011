namespace Newsletter.Digests;

public enum DigestIssueStatus
{
    /// <summary>Made, recipients snapshotted, not yet being sent.</summary>
    Queued,
    Sending,
    /// <summary>The SMTP server is unreachable, or refuses everyone; the send resumes by itself.</summary>
    Paused,
    Sent,
    /// <summary>Paused by an editor (POST /api/digests/{n}/pause): stays put, across restarts, until resumed.</summary>
    Held,
}

/// <summary>One numbered issue of the digest: what it carries and how its send stands.</summary>
public sealed class DigestIssue
{
    public long Id { get; set; }

    /// <summary>1, 2, 3…: the public number of the issue.</summary>
    public int Number { get; set; }

    /// <summary>The schedule slot that made the issue ("2026-11-30T09:00:00Z"); unique, so racing makers make one.</summary>
    public required string Slot { get; set; }

    public required string Subject { get; set; }

    /// <summary>The editors' subject with {number} and {title} as they wrote it (null: generated), filled per mail.</summary>
    public string? SubjectTemplate { get; set; }

    /// <summary>
    /// The subject test's second subject, as the editors wrote it (null: no test). Its mails and
    /// the sample's other half are fixed on the deliveries when the issue is made (Delivery).
    /// </summary>
    public string? SecondSubjectTemplate { get; set; }

    /// <summary>When the subject test's wait ends: set when the sample's sending starts (Digest:SubjectTestWait later).</summary>
    public DateTimeOffset? SubjectTestEndsAt { get; set; }

    /// <summary>"A" (the first subject) or "B" (the second); null while the rest waits. Set once, by one conditional update.</summary>
    public string? SubjectWinner { get; set; }

    /// <summary>Who or what named the winner ("the wait ended", an editor's name) and why, for the console.</summary>
    public string? SubjectWinnerBy { get; set; }

    public DateTimeOffset? SubjectDecidedAt { get; set; }

    /// <summary>The editor's note (Markdown) the issue opens with; null: none.</summary>
    public string? Note { get; set; }

    public DigestIssueStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>While paused: when to try the server again.</summary>
    public DateTimeOffset? ResumeAt { get; set; }

    /// <summary>Why the send last paused (the server's words), for the API and the console; null once sent.</summary>
    public string? PauseReason { get; set; }

    /// <summary>How many deliveries the recipient snapshot made.</summary>
    public int RecipientCount { get; set; }

    /// <summary>
    /// The web version (GET /issues/{number}) as rendered when the issue was made: the archive shows
    /// what readers got, even if a comparison is edited later.
    /// </summary>
    public string? WebHtml { get; set; }

    public List<DigestIssueComparison> Comparisons { get; set; } = [];
}

/// <summary>A comparison carried by an issue. A comparison is carried by at most one issue.</summary>
public sealed class DigestIssueComparison
{
    public long IssueId { get; set; }

    public long ComparisonId { get; set; }

    public int Position { get; set; }

    public DigestIssue? Issue { get; set; }

    public Comparisons.Comparison? Comparison { get; set; }
}
