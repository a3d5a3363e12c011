using Microsoft.Data.Sqlite;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// A long-lived list for issue 23's making time (`--make-history K`): K issues already sent before
/// the timed one, each carrying four comparisons (one per topic of <see cref="SelectiveReaders.Topics"/>),
/// with what the product would have written for the readers who chose: a delivery per issue and a
/// ledger row per comparison of a topic they picked. Set-based; the comparisons go in through the
/// product's ComparisonStore like the list's own.
/// <para>
/// Readers who never chose get no delivery rows for these issues: the product would have written
/// one per reader per issue (K million rows at 1,000,000 readers), but making an issue reads none
/// of them (a default reader's selection is the issue); they would only make the Deliveries table
/// bigger. No marks (SettledReaders) are seeded: the product writes them itself when it makes the
/// next issue (see <see cref="SelectiveMake"/>).
/// </para>
/// </summary>
internal static class SelectiveHistory
{
    public static async Task SeedAsync(TempDatabase database, int issues, CancellationToken cancellationToken)
    {
        await using (var db = database.Open())
        {
            for (var k = 1; k <= issues; k++)
            {
                await TempDatabase.ImportComparisonsAsync(db, cancellationToken, SelectiveReaders.Topics, $"h{k}-");
            }
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TEMP TABLE HistoryTopics (ComparisonId INTEGER NOT NULL, Topic TEXT NOT NULL)", cancellationToken);

        // Made after the readers confirmed (a day ago) and before now, one second apart.
        var start = DateTimeOffset.UtcNow.AddHours(-12).ToUnixTimeMilliseconds();
        for (var k = 1; k <= issues; k++)
        {
            await ExecuteAsync(connection, """
                INSERT INTO Issues (Number, Slot, Subject, Status, CreatedAt, StartedAt, CompletedAt, RecipientCount)
                VALUES ($k, 'history-' || $k, 'History ' || $k, 'Sent', $at, $at, $at, 0)
                """, cancellationToken, ("$k", k), ("$at", start + (k * 1000L)));
            for (var t = 0; t < SelectiveReaders.Topics.Count; t++)
            {
                await ExecuteAsync(connection, """
                    INSERT INTO HistoryTopics (ComparisonId, Topic) SELECT Id, $topic FROM Comparisons WHERE Slug LIKE '%-h' || $k || '-' || $copy;
                    INSERT INTO IssueComparisons (IssueId, ComparisonId, Position)
                    SELECT i.Id, c.Id, $copy - 1 FROM Comparisons c, Issues i
                    WHERE c.Slug LIKE '%-h' || $k || '-' || $copy AND i.Number = $k
                    """, cancellationToken, ("$topic", SelectiveReaders.Topics[t].ToLowerInvariant()), ("$k", k), ("$copy", t + 1));
            }
        }

        // What the product wrote for each chooser: a delivery of every issue (each gave them two or
        // three comparisons), and the ledger rows of the comparisons of their topics.
        await ExecuteAsync(connection, """
            INSERT INTO Deliveries (IssueId, SubscriberId, Status, Attempts, SentAt)
            SELECT i.Id, p.SubscriberId, 'Sent', 1, i.CreatedAt FROM Issues i, ReaderPreferences p WHERE i.Slot LIKE 'history-%';
            INSERT INTO ReaderLedger (SubscriberId, ComparisonId, IssueId)
            SELECT rt.SubscriberId, ic.ComparisonId, ic.IssueId
            FROM HistoryTopics h
            JOIN IssueComparisons ic ON ic.ComparisonId = h.ComparisonId
            JOIN ReaderTopics rt ON rt.Topic = h.Topic;
            UPDATE Issues SET RecipientCount = (SELECT COUNT(*) FROM ReaderPreferences) WHERE Slot LIKE 'history-%';
            DROP TABLE HistoryTopics;
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Four new comparisons for the next issue to carry (the first batch went into the issue made before it).</summary>
    public static async Task PublishNextAsync(TempDatabase database, string batch, CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        await TempDatabase.ImportComparisonsAsync(db, cancellationToken, SelectiveReaders.Topics, batch);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
