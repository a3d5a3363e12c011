using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Comparisons;
using Newsletter.Data;

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
    private const string Weekly = "p.Frequency = 'Weekly'";
    private const string Monthly = "p.Frequency = 'Monthly'";

    /// <summary>The new issue's comparisons once it is saved: its own rows (none for a waiting check's id of -1).</summary>
    private const string IssueOwn = "SELECT ComparisonId FROM IssueComparisons WHERE IssueId = {0}";

    /// <summary>
    /// Writes the ledger rows of a new issue, and moves the mark (<see cref="SettledReader"/>) of every
    /// chooser it judged whose whole due set it fixed; a reader with more than Digest:MaxComparisons
    /// keeps their old mark (the rest is owed next time). Call it inside the issue's transaction,
    /// after the issue and its comparisons are saved and before its deliveries are snapshotted (a
    /// delivery row without ledger rows means "the whole issue", which this must not read for the new issue).
    /// </summary>
    public async Task FixAsync(NewsletterDbContext db, DigestIssue issue, CancellationToken cancellationToken)
    {
        var monthly = await IsFirstOfMonthAsync(db, issue.Slot, issue.Id, cancellationToken);
        var frequency = monthly ? "1 = 1" : Weekly;
        var topics = await SelectionTopics.ReadAsync(db, null, cancellationToken);
        object[] values = [issue.Id, topics.Json, digest.Value.MaxComparisons, topics.StampOf(issue.Id), topics.StampsJson];
        const string Ledger = "INSERT INTO ReaderLedger (SubscriberId, ComparisonId, IssueId) SELECT SubscriberId, ComparisonId, {0} FROM ";

        // The mark is written from the same reading of the reader's choice as the ledger rows, or a
        // choice saved in between would be stamped as judged: PostgreSQL (read committed, instances
        // sharing the list) does both in one statement; SQLite's issue transaction holds the write
        // lock (BEGIN IMMEDIATE), so nobody saves a choice between its two statements.
        if (db.Database.IsPostgres())
        {
            await db.Database.ExecuteSqlRawAsync(
                "WITH Candidates AS MATERIALIZED (" + Candidates(db, frequency, IssueOwn, "{4}") + "),\n"
                + "Fixed AS (" + Ledger + "Candidates WHERE n <= {2})\n"
                + Settle(frequency, "SELECT SubscriberId FROM Candidates WHERE n > {2}"),
                values, cancellationToken);
            return;
        }

        await db.Database.ExecuteSqlRawAsync(
            Ledger + "(" + Candidates(db, frequency, IssueOwn, "{4}") + ") x WHERE n <= {2}", values, cancellationToken);

        // Who is still owed something now that the ledger holds this issue's rows: only a reader given
        // the most a mail carries can be, so only those are judged again (what is left is their rest).
        // (One pass over this issue's rows on their index: half the CPU of a count per chooser.)
        var full = frequency + " AND p.SubscriberId IN (SELECT f.SubscriberId FROM ReaderLedger f WHERE f.IssueId = {0} GROUP BY f.SubscriberId HAVING COUNT(*) >= {2})";
        await db.Database.ExecuteSqlRawAsync(
            Settle(frequency, "SELECT SubscriberId FROM (" + Candidates(db, full, IssueOwn, "{4}") + ") o"), values, cancellationToken);
    }

    /// <summary>
    /// The mark's upsert: every chooser this issue judged (<paramref name="frequency"/>) but those in
    /// <paramref name="owed"/> is settled up to the issue {0}, stamped with their choice as it is and
    /// the carried comparisons' topics {3}. One statement, whatever the number of readers.
    /// </summary>
    private static string Settle(string frequency, string owed) => $$"""
        INSERT INTO SettledReaders (SubscriberId, UpToIssueId, ChoiceUpdatedAt, TopicsStamp)
        SELECT p.SubscriberId, {0}, p.UpdatedAt, {3}
        FROM ReaderPreferences p
        JOIN Subscribers s ON s.Id = p.SubscriberId
        WHERE s.Status = 'Confirmed' AND {{frequency}} AND p.SubscriberId NOT IN ({{owed}})
        ON CONFLICT (SubscriberId) DO UPDATE
        SET UpToIssueId = excluded.UpToIssueId, ChoiceUpdatedAt = excluded.ChoiceUpdatedAt, TopicsStamp = excluded.TopicsStamp
        """;

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

        var topics = await SelectionTopics.ReadAsync(db, null, cancellationToken);
        var found = await db.Database.SqlQueryRaw<int>(
            "SELECT 1 AS \"Value\" FROM (" + Candidates(db, Monthly, IssueOwn, "{2}") + ") x LIMIT 1",
            -1L, topics.Json, topics.StampsJson).ToListAsync(cancellationToken);
        return found.Count > 0;
    }

    /// <summary>
    /// What making an issue for <paramref name="slot"/> now, carrying <paramref name="fresh"/>, would
    /// fix in the ledger, counted instead of written: per selection (the comparison ids a chooser's
    /// mail would carry, oldest first, comma-separated), how many readers. The same candidate SQL as
    /// <see cref="FixAsync"/>, read-only: no transaction, no write lock. Readers whose choice selects
    /// nothing are not in it.
    /// </summary>
    public async Task<IReadOnlyList<(string Selection, int Readers)>> CountAsync(
        NewsletterDbContext db, string slot, IReadOnlyList<Comparison> fresh, CancellationToken cancellationToken)
    {
        var monthly = await IsFirstOfMonthAsync(db, slot, issueId: null, cancellationToken);
        var postgres = db.Database.IsPostgres();
        var ids = postgres
            ? "SELECT e::bigint FROM json_array_elements_text({3}::json) e"
            : "SELECT value FROM json_each({3})";
        var selection = postgres
            ? "string_agg(CAST(ComparisonId AS text), ',' ORDER BY n)"
            : "group_concat(ComparisonId, ',' ORDER BY n)";
        var sql = $"""
            SELECT Selection AS "Selection", COUNT(*) AS "Readers" FROM (
                SELECT SubscriberId, {selection} AS Selection
                FROM ({Candidates(db, monthly ? "1 = 1" : Weekly, ids, "{4}")}) x
                WHERE n <= {"{2}"} GROUP BY SubscriberId) y
            GROUP BY Selection
            """;
        var topics = await SelectionTopics.ReadAsync(db, fresh, cancellationToken);
        var rows = await db.Database.SqlQueryRaw<SelectionRow>(
            sql, -1L, topics.Json, digest.Value.MaxComparisons, JsonSerializer.Serialize(fresh.Select(c => c.Id)), topics.StampsJson)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Selection, (int)r.Readers))];
    }

    /// <summary>
    /// The candidate rows (SubscriberId, ComparisonId, n: the reader's oldest-first rank) for the
    /// issue {0}, with {1} the comparisons' topics as JSON pairs and <paramref name="stamps"/> the
    /// placeholder of the topics' stamps per issue (<see cref="SelectionTopics.StampsJson"/>). The new issue's
    /// comparisons are <paramref name="fresh"/> (a select of ComparisonId; the issue's own rows once
    /// it is saved). Unquoted names fold to PostgreSQL's lowercase ones, so one text serves both
    /// engines but for the JSON functions.
    /// <para>
    /// Set-based and cheap: the topics' JSON is expanded once (MATERIALIZED) and joined once to the
    /// carried comparisons, one row per comparison and topic (NULL: it has none, it goes to everyone),
    /// so what is left per reader and comparison are probes on keys: the reader's topic on
    /// ReaderTopics' primary key, then the ledger's (reader, comparison) primary key (before the
    /// de-duplication, so only what the reader has not had is sorted: 3 times less CPU on PostgreSQL),
    /// then the deliveries' unique (issue, reader) index and the ledger's (issue, reader) index, the
    /// latter two only for issues made before this one. Matching a topic by a correlated look-up in
    /// the expanded JSON instead scans it per reader and comparison: 10 times slower with 200
    /// carried comparisons.
    /// </para>
    /// <para>
    /// A reader with a mark that still holds (<see cref="SettledReader"/>: their choice and the
    /// carried topics unchanged since) is matched against the issues after it only, and a reader
    /// settled up to the latest earlier issue (every weekly reader with nothing owed) against the new
    /// issue's comparisons alone: the earlier issues are not even scanned for them (Unsettled is
    /// materialized so that no join order pairs every chooser with every earlier comparison), so the
    /// cost no longer grows with the list's history. What a mark skips is, by its meaning, already decided
    /// and in the ledger, so the rows are the same with or without it.
    /// </para>
    /// </summary>
    private static string Candidates(NewsletterDbContext db, string frequency, string fresh, string stamps)
    {
        var postgres = db.Database.IsPostgres();
        var pairs = postgres
            ? "SELECT (e->>0)::bigint AS ComparisonId, e->>1 AS Topic FROM json_array_elements({1}::json) e"
            : "SELECT json_extract(value, '$[0]') AS ComparisonId, json_extract(value, '$[1]') AS Topic FROM json_each({1})";
        var issueStamps = postgres
            ? $"SELECT (e->>0)::bigint AS IssueId, e->>1 AS Stamp FROM json_array_elements({stamps}::json) e"
            : $"SELECT json_extract(value, '$[0]') AS IssueId, json_extract(value, '$[1]') AS Stamp FROM json_each({stamps})";
        const string Matches = """
            (k.Topic IS NULL OR NOT r.Picks
                   OR EXISTS (SELECT 1 FROM ReaderTopics rt WHERE rt.SubscriberId = r.SubscriberId AND rt.Topic = k.Topic))
            """;
        const string NotHad = "NOT EXISTS (SELECT 1 FROM ReaderLedger l WHERE l.SubscriberId = r.SubscriberId AND l.ComparisonId = k.ComparisonId";

        // For the new issue's few comparisons the ledger is probed on its key per reader and
        // comparison (SQLite always probes): OFFSET 0 keeps PostgreSQL from turning the probe into a hash anti-join, which
        // reads the whole ledger (it grows with the history) to check a few pairs per reader. A
        // backlog of many earlier issues may take either (it is the planner's call).
        var judgedNow = Matches + " AND " + NotHad + (postgres ? " OFFSET 0)" : ")");
        var judgedBefore = Matches + " AND " + NotHad + ")";
        return $$"""
            WITH ComparisonTopics AS MATERIALIZED ({{pairs}}),
            IssueStamps AS MATERIALIZED ({{issueStamps}}),
            CarriedBefore AS MATERIALIZED (
                SELECT ic.IssueId, i.CreatedAt, ic.ComparisonId, c.PublishedAt, ct.Topic
                FROM IssueComparisons ic
                JOIN Issues i ON i.Id = ic.IssueId
                JOIN Comparisons c ON c.Id = ic.ComparisonId
                LEFT JOIN ComparisonTopics ct ON ct.ComparisonId = ic.ComparisonId
                WHERE ic.IssueId <> {0}),
            CarriedNow AS MATERIALIZED (
                SELECT c.Id AS ComparisonId, c.PublishedAt, ct.Topic
                FROM Comparisons c
                LEFT JOIN ComparisonTopics ct ON ct.ComparisonId = c.Id
                WHERE c.Id IN ({{fresh}})),
            Choosers AS MATERIALIZED (
                SELECT q.SubscriberId, q.Since, q.Picks,
                       CASE WHEN q.UpTo IS NOT NULL AND (NOT q.Picks OR q.TopicsStamp = st.Stamp) THEN q.UpTo ELSE 0 END AS Settled
                FROM (
                    SELECT p.SubscriberId, COALESCE(s.ConfirmedAt, s.CreatedAt) AS Since,
                           EXISTS (SELECT 1 FROM ReaderTopics rt WHERE rt.SubscriberId = p.SubscriberId) AS Picks,
                           m.UpToIssueId AS UpTo, m.TopicsStamp
                    FROM ReaderPreferences p
                    JOIN Subscribers s ON s.Id = p.SubscriberId
                    LEFT JOIN SettledReaders m ON m.SubscriberId = p.SubscriberId AND m.ChoiceUpdatedAt = p.UpdatedAt
                    WHERE s.Status = 'Confirmed' AND {{frequency}}) q
                LEFT JOIN IssueStamps st ON st.IssueId = q.UpTo),
            Unsettled AS MATERIALIZED (
                SELECT * FROM Choosers WHERE Settled < (SELECT MAX(IssueId) FROM CarriedBefore)),
            Due AS (
                SELECT r.SubscriberId, {0} AS IssueId, k.ComparisonId, k.PublishedAt
                FROM Choosers r CROSS JOIN CarriedNow k
                WHERE {{judgedNow}}
                UNION
                SELECT r.SubscriberId, k.IssueId, k.ComparisonId, k.PublishedAt
                FROM Unsettled r
                JOIN CarriedBefore k ON k.CreatedAt >= r.Since AND k.IssueId > r.Settled
                WHERE {{judgedBefore}})
            SELECT u.SubscriberId, u.ComparisonId,
                   ROW_NUMBER() OVER (PARTITION BY u.SubscriberId ORDER BY u.PublishedAt, u.ComparisonId) AS n
            FROM Due u
            WHERE (u.IssueId = {0}
                   OR NOT EXISTS (SELECT 1 FROM Deliveries d WHERE d.IssueId = u.IssueId AND d.SubscriberId = u.SubscriberId)
                   OR EXISTS (SELECT 1 FROM ReaderLedger l2 WHERE l2.IssueId = u.IssueId AND l2.SubscriberId = u.SubscriberId))
            """;
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

    /// <summary>One row of <see cref="CountAsync"/>.</summary>
    private sealed class SelectionRow
    {
        public string Selection { get; set; } = "";

        public long Readers { get; set; }
    }
}
