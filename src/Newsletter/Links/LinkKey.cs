namespace Newsletter.Links;

/// <summary>
/// The random secret behind the vote and click links (one row). Kept in the database so that
/// every instance on it, and every restart, makes and checks the same links with no setting to
/// configure; it never leaves the database.
/// </summary>
public sealed class LinkKey
{
    public const int Current = 1;

    public int Id { get; set; }

    public required byte[] Secret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
