using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Subscribers.Preferences;

namespace Newsletter.Digests.Selections;

/// <summary>
/// The selection rule, in one place: what each reader's mail of an issue carries. A reader who never
/// chose gets the issue as it is. A reader who chose (topics, frequency) gets every comparison they
/// have not had that was carried by an issue made since they confirmed (this one included), that
/// matches a picked topic (a comparison whose tools carry no category matches every reader), oldest
/// first, at most Digest:MaxComparisons; a monthly reader only in the first issue made in a month.
/// It is fixed in <see cref="ReaderLedgerEntry"/> rows when the issue is made, by set-based SQL in
/// the issue's transaction; nothing is recomputed at send time.
/// </summary>
// The SQL text is this class's own, picked per engine; every value goes as a parameter.
#pragma warning disable EF1003
public sealed class ReaderSelections(IOptions<DigestOptions> digest, TimeProvider clock)
{
    /// <summary>
    /// Writes the ledger rows of a new issue. Call it inside the issue's transaction, after the issue
    /// and its comparisons are saved and before its deliveries are snapshotted (a delivery row
    /// without ledger rows means "the whole issue", which this must not read for the new issue).
    /// </summary>
    public async Task FixAsync(NewsletterDbContext db, DigestIssue issue, CancellationToken cancellationToken)
    {
        var monthly = await IsFirstOfMonthAsync(db, issue.Slot, issue.Id, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO ReaderLedger (SubscriberId, ComparisonId, IssueId) SELECT SubscriberId, ComparisonId, {0} FROM ("
            + Candidates(db, monthly, monthlyOnly: false) + ") x WHERE n <= {2}",
            [issue.Id, await TopicsJsonAsync(db, cancellationToken), digest.Value.MaxComparisons], cancellationToken);
    }

    /// <summary>
    /// The readers this issue gives nothing, as a sub-select of subscriber ids with the issue's id as
    /// {0}: those who chose and whose choice selects nothing this time; and, when the issue was made
    /// only for monthly readers' backlog (nothing of its own, Digest:SendWhenEmpty off), everyone
    /// without something fixed in the ledger. Delivery drops their deliveries after the snapshot (no
    /// mail, counted as nothing for them); the rule stays here.
    /// </summary>
    public string NothingForThem(DigestIssue issue) =>
        issue.Comparisons.Count == 0 && !digest.Value.SendWhenEmpty
            ? "SELECT s.Id FROM Subscribers s WHERE NOT EXISTS (SELECT 1 FROM ReaderLedger l WHERE l.IssueId = {0} AND l.SubscriberId = s.Id)"
            : "SELECT p.SubscriberId FROM ReaderPreferences p WHERE NOT EXISTS (SELECT 1 FROM ReaderLedger l WHERE l.IssueId = {0} AND l.SubscriberId = p.SubscriberId)";

    /// <summary>How many readers have a mail of their own choosing in this issue.</summary>
    public Task<int> ChosenAsync(NewsletterDbContext db, DigestIssue issue, CancellationToken cancellationToken) =>
        db.Set<ReaderLedgerEntry>().Where(l => l.IssueId == issue.Id).Select(l => l.SubscriberId).Distinct().CountAsync(cancellationToken);

    /// <summary>
    /// Whether an issue for this slot would be the month's first and a monthly reader has something
    /// waiting: then the issue is made even when there is nothing new (Digest:SendWhenEmpty false).
    /// </summary>
    public async Task<bool> MonthlyWaitingAsync(NewsletterDbContext db, string slot, CancellationToken cancellationToken)
    {
        if (!await IsFirstOfMonthAsync(db, slot, issueId: null, cancellationToken))
        {
            return false;
        }

        var topics = await TopicsJsonAsync(db, cancellationToken);
        var found = await db.Database.SqlQueryRaw<int>(
            "SELECT 1 AS \"Value\" FROM (" + Candidates(db, monthly: true, monthlyOnly: true) + ") x LIMIT 1",
            -1L, topics).ToListAsync(cancellationToken);
        return found.Count > 0;
    }

    /// <summary>
    /// The candidate rows (SubscriberId, ComparisonId, n: the reader's oldest-first rank) for the
    /// issue {0}, with {1} the comparisons' topics as JSON pairs. Unquoted names fold to PostgreSQL's
    /// lowercase ones, so one text serves both engines but for the JSON function.
    /// </summary>
    private static string Candidates(NewsletterDbContext db, bool monthly, bool monthlyOnly)
    {
        var pairs = db.Database.IsPostgres()
            ? "SELECT (e->>0)::bigint AS ComparisonId, e->>1 AS Topic FROM json_array_elements({1}::json) e"
            : "SELECT json_extract(value, '$[0]') AS ComparisonId, json_extract(value, '$[1]') AS Topic FROM json_each({1})";
        var frequency = monthlyOnly ? "p.Frequency = 'Monthly'" : monthly ? "1 = 1" : "p.Frequency = 'Weekly'";
        return $"""
            WITH ComparisonTopics AS ({pairs})
            SELECT p.SubscriberId, c.Id AS ComparisonId,
                   ROW_NUMBER() OVER (PARTITION BY p.SubscriberId ORDER BY c.PublishedAt, c.Id) AS n
            FROM ReaderPreferences p
            JOIN Subscribers s ON s.Id = p.SubscriberId AND s.Status = 'Confirmed'
            JOIN Issues i ON i.Id = {"{0}"} OR i.CreatedAt >= COALESCE(s.ConfirmedAt, s.CreatedAt)
            JOIN IssueComparisons ic ON ic.IssueId = i.Id
            JOIN Comparisons c ON c.Id = ic.ComparisonId
            WHERE {frequency}
              AND (NOT EXISTS (SELECT 1 FROM ReaderTopics rt WHERE rt.SubscriberId = p.SubscriberId)
                   OR NOT EXISTS (SELECT 1 FROM ComparisonTopics ct WHERE ct.ComparisonId = c.Id)
                   OR EXISTS (SELECT 1 FROM ComparisonTopics ct JOIN ReaderTopics rt ON rt.Topic = ct.Topic
                              WHERE ct.ComparisonId = c.Id AND rt.SubscriberId = p.SubscriberId))
              AND NOT EXISTS (SELECT 1 FROM ReaderLedger l WHERE l.SubscriberId = p.SubscriberId AND l.ComparisonId = c.Id)
              AND NOT (EXISTS (SELECT 1 FROM Deliveries d WHERE d.IssueId = ic.IssueId AND d.SubscriberId = p.SubscriberId)
                       AND NOT EXISTS (SELECT 1 FROM ReaderLedger l2 WHERE l2.SubscriberId = p.SubscriberId AND l2.IssueId = ic.IssueId))
            """;
    }

    /// <summary>The topics of every comparison an issue carried, as JSON pairs [id, topic], for the SQL above.</summary>
    private static async Task<string> TopicsJsonAsync(NewsletterDbContext db, CancellationToken cancellationToken)
    {
        // Only readers who chose topics need these, and a comparison's topics live in its tools' JSON:
        // read in C# (a few hundred comparisons a year), matched in SQL.
        if (!await db.Set<ReaderTopic>().AnyAsync(cancellationToken))
        {
            return "[]";
        }

        var comparisons = await db.IssueComparisons.AsNoTracking().Select(ic => ic.Comparison!).ToListAsync(cancellationToken);
        var pairs = comparisons.SelectMany(c => TopicKeys.Of(c).Select(t => new object[] { c.Id, t }));
        return JsonSerializer.Serialize(pairs);
    }

    /// <summary>
    /// Whether no other issue was made for a slot in the same month (Digest:TimeZone). A slot that is
    /// not a time (a test's name) counts by when its issue was made.
    /// </summary>
    private async Task<bool> IsFirstOfMonthAsync(NewsletterDbContext db, string slot, long? issueId, CancellationToken cancellationToken)
    {
        var zone = digest.Value.Zone;
        (int, int) Month(string s, DateTimeOffset made)
        {
            var at = DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : made;
            var local = TimeZoneInfo.ConvertTime(at, zone);
            return (local.Year, local.Month);
        }

        var month = Month(slot, clock.GetUtcNow());
        var others = await db.Issues.AsNoTracking().Where(i => i.Id != issueId && i.Slot != slot)
            .Select(i => new { i.Slot, i.CreatedAt }).ToListAsync(cancellationToken);
        return !others.Any(o => Month(o.Slot, o.CreatedAt) == month);
    }
}
