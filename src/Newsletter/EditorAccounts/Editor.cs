namespace Newsletter.EditorAccounts;

/// <summary>A person who edits the newsletter: signs in with a link mailed to this address.</summary>
public sealed class Editor
{
    public long Id { get; set; }

    /// <summary>The address, lower-cased: the sign-in and the audit log name the editor by it.</summary>
    public required string Email { get; set; }

    public string? Name { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}
