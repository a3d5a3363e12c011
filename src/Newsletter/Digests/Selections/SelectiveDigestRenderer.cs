using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Digests.Selections;

/// <summary>
/// What the send engine prepares (its <see cref="IDigestRenderer"/>): the issue as it is, plus one
/// prepared digest per distinct selection fixed in the ledger when the issue was made, each rendered
/// once, so a list of readers who never chose costs what it did. A reader's mail is then their
/// selection's digest (<see cref="PreparedDigest.SelectedFor"/>), read from the ledger, never recomputed.
/// </summary>
public sealed class SelectiveDigestRenderer(DigestRenderer renderer, IServiceScopeFactory scopes) : IDigestRenderer
{
    public async Task<PreparedDigest> PrepareAsync(long issueId, CancellationToken cancellationToken)
    {
        var whole = await renderer.PrepareAsync(issueId, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();

        // Each chosen reader's comparisons for this issue, in the order their mail shows them (oldest first).
        var rows = await db.Set<ReaderLedgerEntry>().AsNoTracking()
            .Where(l => l.IssueId == issueId)
            .Join(db.Comparisons, l => l.ComparisonId, c => c.Id, (l, c) => new { l.SubscriberId, c.Id, c.PublishedAt })
            .OrderBy(r => r.SubscriberId).ThenBy(r => r.PublishedAt).ThenBy(r => r.Id)
            .Select(r => new { r.SubscriberId, r.Id })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return whole;
        }

        var keys = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var readers = new Dictionary<long, string>();
        foreach (var reader in rows.GroupBy(r => r.SubscriberId))
        {
            var ids = reader.Select(r => r.Id).ToList();
            var key = string.Join(',', ids);
            keys.TryAdd(key, ids);
            readers[reader.Key] = key;
        }

        var assembler = scope.ServiceProvider.GetRequiredService<DigestAssembler>();
        var issue = await db.Issues.AsNoTracking().SingleAsync(i => i.Id == issueId, cancellationToken);
        var carried = await db.IssueComparisons.AsNoTracking().Where(ic => ic.IssueId == issueId).OrderBy(ic => ic.Position)
            .Select(ic => ic.ComparisonId).ToListAsync(cancellationToken);
        var wholeKey = string.Join(',', carried);
        var allIds = keys.Values.SelectMany(k => k).Distinct().ToList();
        var comparisons = await db.Comparisons.AsNoTracking().Where(c => allIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);

        var digests = new Dictionary<string, PreparedDigest>(StringComparer.Ordinal);
        foreach (var (key, ids) in keys)
        {
            if (key == wholeKey)
            {
                digests[key] = whole;
                continue;
            }

            List<Comparison> selected = [.. ids.Select(id => comparisons[id])];

            // The subject names a comparison this mail carries: the editors' subject with its {title}
            // filled from this selection, or the generated one made from it.
            digests[key] = await renderer.PrepareAsync(issueId, (selected, assembler.SubjectOf(issue.Number, selected, issue.SubjectTemplate)), cancellationToken);
        }

        return new Selective(whole, readers.ToDictionary(r => r.Key, r => digests[r.Value]));
    }

    private sealed class Selective(PreparedDigest whole, Dictionary<long, PreparedDigest> readers) : PreparedDigest
    {
        public override int Number => whole.Number;

        public override string Subject => whole.Subject;

        public override string? SecondSubject => whole.SecondSubject;

        public override string? SubjectWinner => whole.SubjectWinner;

        public override RenderedMail RenderFor(DigestReader reader) => whole.RenderFor(reader);

        public override PreparedDigest SelectedFor(long? subscriberId) =>
            subscriberId is { } id && readers.TryGetValue(id, out var chosen) ? chosen : whole;
    }
}
