using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Links;

namespace Newsletter.Clicks;

/// <summary>
/// The link table in memory, so that a redirect reads no database once a link has been seen: a
/// stored link's issue and target never change (IssueLinks only adds rows), so an entry never goes
/// stale. Bounded: past <see cref="Capacity"/> links (thousands of issues) it starts over, which
/// costs one read per link again, not a wrong answer.
/// </summary>
public sealed class ClickTargets(IServiceScopeFactory scopes, LinkKeys keys)
{
    private const int Capacity = 50_000;

    private readonly ConcurrentDictionary<long, (long IssueId, string Url)> _links = new();

    /// <summary>Where a /r/… token goes, or null for a token this server did not make.</summary>
    public async ValueTask<ClickTarget?> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        if (ClickToken.Read(await keys.GetAsync(cancellationToken), token) is not { } read)
        {
            return null;
        }

        return await FindAsync(read.LinkId, cancellationToken) is { } link
            ? new ClickTarget(read.LinkId, link.IssueId, link.Url, read.UnsubscribeToken)
            : null;
    }

    /// <summary>The link's issue and target, or null when no such link is stored.</summary>
    public async ValueTask<(long IssueId, string Url)?> FindAsync(long linkId, CancellationToken cancellationToken)
    {
        if (_links.TryGetValue(linkId, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        var link = await db.Set<IssueLink>().AsNoTracking().Where(l => l.Id == linkId)
            .Select(l => new { l.IssueId, l.Url }).SingleOrDefaultAsync(cancellationToken);
        if (link is null)
        {
            return null;
        }

        if (_links.Count >= Capacity)
        {
            _links.Clear();
        }

        return _links[linkId] = (link.IssueId, link.Url);
    }
}
