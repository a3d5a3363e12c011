using MimeKit;

namespace Newsletter.Digests;

/// <summary>
/// The editors as people (EditorAccounts keeps them): where a preview goes when nobody names an
/// address. None registered, or none kept yet: Newsletter:Editors.
/// </summary>
public interface IEditorAddresses
{
    Task<IReadOnlyList<MailboxAddress>> ListAsync(CancellationToken cancellationToken);
}
