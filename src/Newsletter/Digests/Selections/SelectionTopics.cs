using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Subscribers.Preferences;

namespace Newsletter.Digests.Selections;

/// <summary>
/// The comparisons' topics for <see cref="ReaderSelections"/>' SQL: <see cref="Json"/>, the topics of
/// every comparison an issue carried (and of fresh ones not carried yet) as JSON pairs [id, topic];
/// and per issue N, a stamp of the topics of everything carried up to N (<see cref="StampsJson"/>,
/// pairs [N, stamp]), which a reader's mark up to N (<see cref="SettledReader"/>) must carry to hold
/// for a reader who picked topics.
/// </summary>
internal sealed record SelectionTopics(string Json, string StampsJson, IReadOnlyDictionary<long, string> Stamps)
{
    /// <summary>Nobody picked a topic: the comparisons' topics decide nothing, so none are read.</summary>
    public static readonly SelectionTopics None = new("[]", "[]", new Dictionary<long, string>());

    public string StampOf(long issueId) => Stamps.GetValueOrDefault(issueId, "");

    public static async Task<SelectionTopics> ReadAsync(NewsletterDbContext db, IEnumerable<Comparison>? fresh, CancellationToken cancellationToken)
    {
        // Only readers who chose topics need these, and a comparison's topics live in its tools' JSON:
        // read in C# (a few hundred comparisons a year), matched in SQL.
        if (!await db.Set<ReaderTopic>().AnyAsync(cancellationToken))
        {
            return None;
        }

        var carried = (await db.IssueComparisons.AsNoTracking().OrderBy(ic => ic.IssueId).ThenBy(ic => ic.ComparisonId)
            .Select(ic => new { ic.IssueId, Comparison = ic.Comparison! }).ToListAsync(cancellationToken))
            .Select(c => (c.IssueId, c.Comparison.Id, Topics: TopicKeys.Of(c.Comparison).ToList())).ToList();
        var issues = await db.Issues.AsNoTracking().OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken);
        var pairs = carried.Select(c => (c.Id, c.Topics)).Concat((fresh ?? []).Select(c => (c.Id, Topics: TopicKeys.Of(c).ToList())))
            .SelectMany(c => c.Topics.Select(t => new object[] { c.Id, t }));

        // The stamp of issue N hashes every carried comparison's topics up to N, in issue order: the
        // prefix of one running hash, so a year of issues costs one pass.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var stamps = new Dictionary<long, string>();
        var next = 0;
        foreach (var id in issues)
        {
            for (; next < carried.Count && carried[next].IssueId <= id; next++)
            {
                var c = carried[next];
                var topics = string.Join('\u001f', c.Topics.Order(StringComparer.Ordinal));
                hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{c.IssueId}\u001e{c.Id}\u001e{topics}\n")));
            }

            stamps[id] = Convert.ToHexString(hash.GetCurrentHash());
        }

        return new SelectionTopics(
            JsonSerializer.Serialize(pairs), JsonSerializer.Serialize(stamps.Select(s => new object[] { s.Key, s.Value })), stamps);
    }
}
