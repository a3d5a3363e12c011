using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Digests;

namespace Newsletter.Benchmarks.EndToEnd;

/// <summary>
/// A throw-away SQLite file in the product's own schema (its migrations), holding the sample
/// comparisons and N confirmed subscribers: what a real list looks like on the morning of a send.
/// </summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    /// <summary>Copies of the sample comparison, so that the issue carries a digest-sized mail (~43 KB).</summary>
    public const int ComparisonCopies = 3;

    private TempDatabase(string folder)
    {
        Folder = folder;
        Path = System.IO.Path.Combine(folder, "newsletter.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public TimeSpan SeedTime { get; private set; }

    public static async Task<TempDatabase> CreateAsync(int subscribers, CancellationToken cancellationToken = default) =>
        await CreateAsync(subscribers, chooseEvery: 0, cancellationToken);

    /// <summary>
    /// The same list where every <paramref name="chooseEvery"/>th reader chose topics (0: nobody):
    /// the comparisons carry <see cref="SelectiveReaders.Topics"/> and the choosers are spread over
    /// <see cref="SelectiveReaders.Selections"/> distinct selections (issue 23).
    /// </summary>
    public static async Task<TempDatabase> CreateAsync(int subscribers, int chooseEvery, CancellationToken cancellationToken = default)
    {
        var database = new TempDatabase(Directory.CreateTempSubdirectory("newsletter-bench-db-").FullName);
        var clock = Stopwatch.StartNew();
        await using (var db = database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db, cancellationToken);
            await ImportComparisonsAsync(db, cancellationToken, chooseEvery > 0 ? SelectiveReaders.Topics : null);
        }

        await InsertSubscribersAsync(database.ConnectionString, subscribers, cancellationToken);
        if (chooseEvery > 0)
        {
            await SelectiveReaders.ChooseAsync(database.ConnectionString, chooseEvery, cancellationToken);
        }

        database.SeedTime = clock.Elapsed;
        return database;
    }

    public NewsletterDbContext Open() =>
        new(new DbContextOptionsBuilder<NewsletterDbContext>().UseSqlite(ConnectionString).Options);

    /// <summary>
    /// The status of the one issue (none before it is made). A primary-key read: cheap enough to ask
    /// every 50 ms beside a send, where counting a million delivery rows took CPU from it.
    /// </summary>
    public async Task<DigestIssueStatus?> IssueStatusAsync()
    {
        await using var db = Open();
        return await db.Issues.AsNoTracking().Select(i => (DigestIssueStatus?)i.Status).FirstOrDefaultAsync();
    }

    /// <summary>Delivery rows by status, e.g. "Sent 20000": the proof that every send was recorded.</summary>
    public async Task<IReadOnlyDictionary<string, long>> DeliveryCountsAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status, COUNT(*) FROM Deliveries GROUP BY Status";
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The sample comparison in copies; with <paramref name="topics"/>, one copy per topic, its tools in
    /// that category. <paramref name="batch"/> goes into the slugs, so that several batches can be imported.
    /// </summary>
    internal static async Task ImportComparisonsAsync(NewsletterDbContext db, CancellationToken cancellationToken, IReadOnlyList<string>? topics = null, string batch = "")
    {
        var store = new ComparisonStore(db, TimeProvider.System);
        foreach (var file in Directory.EnumerateFiles(BenchPaths.Comparisons, "*.json").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            var (doc, errors) = await ComparisonParser.ParseAsync(stream, cancellationToken);
            if (doc is null)
            {
                throw new InvalidOperationException($"{file}: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}");
            }

            for (var copy = 1; copy <= (topics?.Count ?? ComparisonCopies); copy++)
            {
                var tools = topics is null ? doc.Tools : doc.Tools?.Select(t => t is null ? null : t with { Category = topics[copy - 1] }).ToList();
                var result = await store.UpsertAsync(doc with { Slug = $"{doc.Slug}-{batch}{copy}", Title = $"{doc.Title} ({batch}{copy})", Tools = tools }, cancellationToken);
                if (result.Outcome == UpsertOutcome.Invalid)
                {
                    throw new InvalidOperationException($"{file} was refused: {string.Join("; ", result.Errors.Keys)}");
                }
            }
        }
    }

    /// <summary>One set-based INSERT: a million rows in seconds, none of them held in memory.</summary>
    private static async Task InsertSubscribersAsync(string connectionString, int subscribers, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // Columns as the product stores them: enums as text, instants as Unix milliseconds, the
        // unsubscribe token as random text (nobody clicks these links).
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
            INSERT INTO Subscribers (Email, EmailKey, Name, Status, CreatedAt, ConsentAt, ConsentSource, ConfirmedAt, UnsubscribeToken)
            SELECT 'reader' || i || '@bench.example', 'reader' || i || '@bench.example', 'Reader ' || i, 'Confirmed',
                   $now, $now, 'benchmark', $now, lower(hex(randomblob(24)))
            FROM n
            """;
        command.Parameters.AddWithValue("$count", subscribers);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
