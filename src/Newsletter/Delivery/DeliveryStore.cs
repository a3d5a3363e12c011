using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Subscribers;

namespace Newsletter.Delivery;

/// <summary>A claimed delivery with what the mail needs from its subscriber (null fields: erased).</summary>
public sealed record ClaimedDelivery(
    long Id, long? SubscriberId, int Attempts, string? Email, string? Name, SubscriberStatus? SubscriberStatus, string? UnsubscribeToken)
{
    /// <summary>Only a subscriber who is still confirmed gets the mail; the rest are skipped.</summary>
    public bool IsDeliverable => SubscriberStatus == Subscribers.SubscriberStatus.Confirmed && Email is not null && UnsubscribeToken is not null;
}

/// <summary>How one claimed delivery ends (or goes back to the queue).</summary>
public readonly record struct DeliveryRecord(
    long Id, DeliveryStatus Status, int Attempts, DateTimeOffset? NextAttemptAt, string? Error, long? BouncedSubscriberId = null);

/// <summary>The deliveries of an issue by status.</summary>
public sealed record DeliveryCounts(int Queued, int Sending, int Sent, int Failed, int Skipped)
{
    public int Total => Queued + Sending + Sent + Failed + Skipped;

    public int Done => Sent + Failed + Skipped;

    public int Remaining => Queued + Sending;
}

/// <summary>
/// The queue, in SQL: the recipient snapshot, claims in id order (keyset), outcomes recorded in
/// batches, counts. Set-based statements only; nothing list-sized is ever loaded.
/// </summary>
public sealed class DeliveryStore(IServiceScopeFactory scopes, TimeProvider clock)
{
    private string? _connectionString;

    /// <summary>
    /// Snapshots the recipients of a new issue: one delivery per subscriber confirmed right now, in
    /// one statement, inside the caller's transaction. Returns how many.
    /// </summary>
    public static async Task<int> SnapshotAsync(NewsletterDbContext db, long issueId, CancellationToken cancellationToken)
    {
        var count = await db.Database.ExecuteSqlRawAsync(
            """
            INSERT OR IGNORE INTO Deliveries (IssueId, SubscriberId, Status, Attempts)
            SELECT {0}, Id, 'Queued', 0 FROM Subscribers WHERE Status = 'Confirmed' ORDER BY Id
            """, [issueId], cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE Issues SET RecipientCount = (SELECT COUNT(*) FROM Deliveries WHERE IssueId = {0}) WHERE Id = {0}",
            [issueId], cancellationToken);
        return count;
    }

    /// <summary>This engine's id in the sender lease: host, process and a random part, new per instance.</summary>
    public string SenderId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>
    /// Takes the sender lease for <paramref name="duration"/> if it is free, expired or already this
    /// engine's, and in the same transaction puts back what the issue had claimed and not recorded:
    /// rows still Sending can only be left by a sender that stopped (it freed the lease) or died or
    /// stalled (its lease expired, and it can no longer write), so those mails were in flight and may
    /// now go twice. Returns the rows put back, or the holder when another live engine holds the lease.
    /// </summary>
    public async Task<(bool Acquired, int Released, LeaseHolder? Holder)> AcquireLeaseAsync(
        long issueId, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        int taken;
        await using (var take = Command(connection, transaction,
            """
            UPDATE SenderLease SET Owner = $me, ExpiresAt = $until, IssueId = $issue
            WHERE Id = 1 AND (Owner IS NULL OR Owner = $me OR ExpiresAt IS NULL OR ExpiresAt < $now)
            """, ("$me", SenderId), ("$until", (now + duration).ToUnixTimeMilliseconds()), ("$issue", issueId),
            ("$now", now.ToUnixTimeMilliseconds())))
        {
            taken = await take.ExecuteNonQueryAsync(cancellationToken);
        }

        if (taken == 0)
        {
            await using var holder = Command(connection, transaction, "SELECT Owner, ExpiresAt, IssueId FROM SenderLease WHERE Id = 1");
            await using var reader = await holder.ExecuteReaderAsync(cancellationToken);
            LeaseHolder? found = await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0)
                ? new LeaseHolder(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.IsDBNull(1) ? 0 : reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : reader.GetInt64(2))
                : null;
            return (false, 0, found);
        }

        int released;
        await using (var release = Command(connection, transaction,
            "UPDATE Deliveries SET Status = 'Queued', ClaimedAt = NULL WHERE IssueId = $issue AND Status = 'Sending'",
            ("$issue", issueId)))
        {
            released = await release.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (true, released, null);
    }

    /// <summary>Extends this engine's lease; false when another engine took it over meanwhile.</summary>
    public async Task<bool> RenewLeaseAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE SenderLease SET ExpiresAt = $until WHERE Id = 1 AND Owner = $me",
            cancellationToken, ("$me", SenderId), ("$until", (clock.GetUtcNow() + duration).ToUnixTimeMilliseconds())) == 1;

    /// <summary>Frees the lease if this engine holds it, so the next sender need not wait for it to expire.</summary>
    public Task ReleaseLeaseAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE SenderLease SET Owner = NULL, ExpiresAt = NULL, IssueId = NULL WHERE Id = 1 AND Owner = $me",
            cancellationToken, ("$me", SenderId));

    /// <summary>
    /// Claims up to <paramref name="limit"/> queued deliveries that are due, with id above
    /// <paramref name="afterId"/>, in id order, and marks them Sending. Only the holder of the sender
    /// lease claims: anyone else gets <see cref="SenderLeaseLostException"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await EnsureLeaseAsync(connection, transaction, cancellationToken);

        var claimed = new List<ClaimedDelivery>(limit);
        await using (var select = Command(connection, transaction,
            """
            SELECT d.Id, d.SubscriberId, d.Attempts, s.Email, s.Name, s.Status, s.UnsubscribeToken
            FROM Deliveries d LEFT JOIN Subscribers s ON s.Id = d.SubscriberId
            WHERE d.IssueId = $issue AND d.Status = 'Queued' AND d.Id > $after
              AND (d.NextAttemptAt IS NULL OR d.NextAttemptAt <= $now)
            ORDER BY d.Id
            LIMIT $limit
            """, ("$issue", issueId), ("$after", afterId), ("$now", now), ("$limit", limit)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedDelivery(
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetInt64(1),
                    reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : Enum.Parse<SubscriberStatus>(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        if (claimed.Count > 0)
        {
            await using var update = Command(connection, transaction,
                "UPDATE Deliveries SET Status = 'Sending', ClaimedAt = $now WHERE Id IN (SELECT value FROM json_each($ids))",
                ("$now", now), ("$ids", JsonSerializer.Serialize(claimed.Select(c => c.Id))));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Records a batch of outcomes in one transaction: one UPDATE for all the deliveries, and the
    /// subscribers who bounced (<see cref="SubscriberStatusChanges.BounceAsync"/>). Only the holder of
    /// the sender lease records: the rows of an engine whose lease was taken over belong to the new
    /// holder (<see cref="SenderLeaseLostException"/>).
    /// </summary>
    public async Task RecordAsync(IReadOnlyCollection<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await EnsureLeaseAsync(connection, transaction, cancellationToken);
        await using (var update = Command(connection, transaction,
            """
            UPDATE Deliveries
            SET Status = r.status, Attempts = r.attempts, NextAttemptAt = r.next, LastError = r.error, ClaimedAt = NULL,
                SentAt = CASE WHEN r.status = 'Sent' THEN $now ELSE SentAt END
            FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS status,
                         json_extract(value, '$[2]') AS attempts, json_extract(value, '$[3]') AS next,
                         json_extract(value, '$[4]') AS error
                  FROM json_each($rows)) AS r
            WHERE Deliveries.Id = r.id AND Deliveries.Status = 'Sending'
            """, ("$now", now), ("$rows", RowsJson(records))))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var bounced = records.Where(r => r.BouncedSubscriberId is not null).Select(r => r.BouncedSubscriberId!.Value).ToList();
        if (bounced.Count > 0)
        {
            // The Subscribers feature's rule, in this transaction: EF Core on this connection.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            await SubscriberStatusChanges.BounceAsync(db, bounced, DateTimeOffset.FromUnixTimeMilliseconds(now), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<DeliveryCounts> CountAsync(long issueId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT Status, COUNT(*) FROM Deliveries WHERE IssueId = $issue GROUP BY Status", ("$issue", issueId));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        int Get(DeliveryStatus s) => counts.GetValueOrDefault(s.ToString());
        return new DeliveryCounts(Get(DeliveryStatus.Queued), Get(DeliveryStatus.Sending), Get(DeliveryStatus.Sent),
            Get(DeliveryStatus.Failed), Get(DeliveryStatus.Skipped));
    }

    /// <summary>When the next queued delivery of the issue is due (null: none is queued).</summary>
    public async Task<DateTimeOffset?> NextDueAsync(long issueId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT MIN(COALESCE(NextAttemptAt, 0)) FROM Deliveries WHERE IssueId = $issue AND Status = 'Queued'", ("$issue", issueId));
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>The issue the engine should work on now: queued or sending, or paused and due to resume.</summary>
    public async Task<long?> NextIssueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            """
            SELECT Id FROM Issues
            WHERE Status IN ('Queued', 'Sending') OR (Status = 'Paused' AND (ResumeAt IS NULL OR ResumeAt <= $now))
            ORDER BY Number LIMIT 1
            """, ("$now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    /// <summary>The earliest time a paused issue is due to resume (null: none is paused).</summary>
    public async Task<DateTimeOffset?> NextResumeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT MIN(COALESCE(ResumeAt, 0)) FROM Issues WHERE Status = 'Paused'");
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Whether an editor holds the issue: the claimer looks before each batch, so any instance's pause stops the send.</summary>
    public async Task<bool> IsHeldAsync(long issueId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT 1 FROM Issues WHERE Id = $issue AND Status = 'Held'", ("$issue", issueId));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<DigestIssue?> IssueAsync(long issueId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
        return await db.Issues.AsNoTracking().SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken);
    }

    /// <summary>
    /// Which of these subscribers are still confirmed, with the status of the others (absent: erased):
    /// the last look before their mails go out, one query for a handful of mails.
    /// </summary>
    public async Task<Dictionary<long, SubscriberStatus>> StatusesAsync(IReadOnlyCollection<long> subscriberIds, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<long, SubscriberStatus>(subscriberIds.Count);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT Id, Status FROM Subscribers WHERE Id IN (SELECT value FROM json_each($ids))",
            ("$ids", JsonSerializer.Serialize(subscriberIds)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            statuses[reader.GetInt64(0)] = Enum.Parse<SubscriberStatus>(reader.GetString(1));
        }

        return statuses;
    }

    /// <summary>Inside a claim or record transaction: this engine must still hold the sender lease.</summary>
    private async Task EnsureLeaseAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT 1 FROM SenderLease WHERE Id = 1 AND Owner = $me", ("$me", SenderId));
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new SenderLeaseLostException();
        }
    }

    private static string RowsJson(IEnumerable<DeliveryRecord> records)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var r in records)
            {
                json.WriteStartArray();
                json.WriteNumberValue(r.Id);
                json.WriteStringValue(r.Status.ToString());
                json.WriteNumberValue(r.Attempts);
                if (r.NextAttemptAt is { } next)
                {
                    json.WriteNumberValue(next.ToUnixTimeMilliseconds());
                }
                else
                {
                    json.WriteNullValue();
                }

                if (r.Error is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    json.WriteStringValue(r.Error);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A pooled connection to the same file EF Core uses (the connection string is read once).</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connectionString is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            _connectionString = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>().Database.GetConnectionString();
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await SqlitePragmas.ApplyAsync(connection, cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
