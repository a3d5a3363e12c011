namespace Newsletter.Web;

/// <summary>
/// One browser's sign-in, kept on the server so that signing out ends it everywhere: the cookie
/// carries a random session id, this row only its SHA-256, so the table alone opens no session.
/// </summary>
public sealed class EditorSession
{
    public long Id { get; set; }

    /// <summary>Hex SHA-256 of the id in the cookie.</summary>
    public required string IdHash { get; set; }

    /// <summary>Who signed in: "editor" for the shared admin key; an editor's own address for their sign-in link.</summary>
    public required string Editor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Updated at most once a minute, so a busy console does not write on every request.</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Set at sign-out; a cookie of a revoked session is refused.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
