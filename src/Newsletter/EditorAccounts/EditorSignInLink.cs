namespace Newsletter.EditorAccounts;

/// <summary>
/// One asked-for sign-in link, and its mail's place in the queue (the database, so a restart or a
/// stalled SMTP server loses no request). The token exists only in the mail: this row keeps its
/// SHA-256, made when the mail is sent.
/// </summary>
public sealed class EditorSignInLink
{
    public long Id { get; set; }

    public long EditorId { get; set; }

    /// <summary>Hex SHA-256 of the token in the mailed link; null until the mail is being sent.</summary>
    public string? TokenHash { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>The link works until then (<see cref="SignInLinks.Lifetime"/> after the request).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the mail is (again) due; null once sent or given up.</summary>
    public DateTimeOffset? MailDueAt { get; set; }

    public int MailAttempts { get; set; }

    /// <summary>Set by the one POST that used the link; a second use finds it set.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
