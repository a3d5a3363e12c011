using Microsoft.EntityFrameworkCore;
using MimeKit;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.EditorAccounts;

/// <summary>The previews go to the editors kept here: one added in the console gets the next preview, one removed does not.</summary>
public sealed class EditorAddresses(NewsletterDbContext db) : IEditorAddresses
{
    public async Task<IReadOnlyList<MailboxAddress>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await db.Editors.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Email, e.Name }).ToListAsync(cancellationToken))
            .Select(e => new MailboxAddress(e.Name ?? "", e.Email))];
}
