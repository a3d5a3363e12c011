using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Data;
using Newsletter.Hosting;

namespace Newsletter.EditorAccounts;

/// <summary>
/// On first start (no editor in the database yet), the editors named in Newsletter:Editors
/// ("Name &lt;address&gt;" or an address; validated with the options) become editors. From then on
/// the database holds the list: the console, the API and `editors` change it, the setting does not.
/// </summary>
public sealed class EditorSeed(IServiceScopeFactory scopes, IOptions<NewsletterOptions> options, TimeProvider clock, ILogger<EditorSeed> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SeedAsync(CancellationToken ct)
    {
        if (options.Value.Editors.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        if (await db.Editors.AnyAsync(ct))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in options.Value.Editors)
        {
            var mailbox = MailboxAddress.Parse(entry);
            var email = mailbox.Address.ToLowerInvariant();
            if (seen.Add(email))
            {
                db.Editors.Add(new Editor { Email = email, Name = string.IsNullOrWhiteSpace(mailbox.Name) ? null : mailbox.Name, AddedAt = now });
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Added {Count} editors from Newsletter:Editors", seen.Count);
        }
        catch (DbUpdateException)
        {
            // Another instance seeded them at the same moment.
        }
    }
}
