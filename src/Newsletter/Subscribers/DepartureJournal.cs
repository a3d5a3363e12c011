using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;

namespace Newsletter.Subscribers;

/// <summary>One reader who left: their address (lowercased key), how, and when.</summary>
public sealed record Departure(string Email, SubscriberStatus Status, DateTimeOffset At);

/// <summary>
/// Every unsubscribe, bounce and complaint, also appended to a file beside the SQLite database
/// (newsletter.db.departures), one JSON line each, flushed to disk before the change commits. A
/// restore from a backup brings back the database as it was, departed readers included; this file
/// is not in the backup, and <see cref="DepartureReplay"/> stops those readers again at the next
/// start. Told by <see cref="SubscriberStatusChanges.LeftConfirmedAsync"/>, the one place every
/// change away from Confirmed passes, inside the change's transaction: a line whose transaction then
/// rolls back only stops a reader who was leaving anyway, while a line written after the commit
/// could be lost to a crash in between. On PostgreSQL there is no such file: back it up with
/// pg_dump and point-in-time recovery.
/// </summary>
public sealed class DepartureJournal : IReaderDepartures
{
    private static readonly SubscriberStatus[] Departed = [SubscriberStatus.Unsubscribed, SubscriberStatus.Bounced, SubscriberStatus.Complained];

    private readonly Lock _oneWriter = new();

    /// <summary>The journal of a SQLite file: beside it, named after it.</summary>
    public static string PathFor(string databaseFile) => databaseFile + ".departures";

    public static string? PathFor(NewsletterDbContext db) =>
        db.Database.IsSqlite() && db.Database.GetDbConnection().DataSource is { Length: > 0 } file && file != ":memory:"
            ? PathFor(Path.GetFullPath(file))
            : null;

    public async Task<int> LeftConfirmedAsync(NewsletterDbContext db, IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        if (PathFor(db) is not { } path)
        {
            return 0;
        }

        var departures = new List<Departure>();
        foreach (var batch in subscriberIds.Chunk(500))
        {
            var rows = await db.Subscribers.AsNoTracking()
                .Where(s => batch.Contains(s.Id) && Departed.Contains(s.Status))
                .Select(s => new { s.EmailKey, s.Status, s.UnsubscribedAt, s.BouncedAt, s.ComplainedAt })
                .ToListAsync(cancellationToken);
            departures.AddRange(rows.Select(r => new Departure(r.EmailKey, r.Status, r.Status switch
            {
                SubscriberStatus.Unsubscribed => r.UnsubscribedAt,
                SubscriberStatus.Bounced => r.BouncedAt,
                _ => r.ComplainedAt,
            } ?? DateTimeOffset.UtcNow)));
        }

        Append(path, departures);
        return 0;
    }

    /// <summary>Appends and fsyncs; several processes may append to one file (each write is one O_APPEND write).</summary>
    public void Append(string path, IReadOnlyCollection<Departure> departures)
    {
        if (departures.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var departure in departures)
        {
            text.Append(JsonSerializer.Serialize(new Line(departure.Email, departure.Status.ToString(), departure.At.ToUnixTimeMilliseconds()))).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        lock (_oneWriter)
        {
            // Synchronous: a few hundred bytes and one fsync, inside the caller's transaction.
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Every departure in the file, oldest first; a line cut short by a crash is passed over.</summary>
    public static async Task<IReadOnlyList<Departure>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var departures = new List<Departure>();
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            Line? line;
            try
            {
                line = JsonSerializer.Deserialize<Line>(text);
            }
            catch (JsonException)
            {
                continue;
            }

            if (line is { Email.Length: > 0 } && Enum.TryParse<SubscriberStatus>(line.Status, out var status) && Departed.Contains(status))
            {
                departures.Add(new Departure(line.Email, status, DateTimeOffset.FromUnixTimeMilliseconds(line.At)));
            }
        }

        return departures;
    }

    private sealed record Line(string Email, string Status, long At);
}
