using Npgsql;
using NpgsqlTypes;

namespace Newsletter.Delivery;

/// <summary>
/// The queue SQL on PostgreSQL, where several instances send one issue at once. A claim is one
/// <c>UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …</c>: each instance
/// takes the next due rows no other instance is taking, in id order, under its own lease. Outcomes
/// are recorded in one statement per group (<c>UPDATE … FROM unnest(@ids, @statuses, …)</c>), only
/// for rows this instance's lease still owns. Set-based statements only. What both databases share
/// is in <see cref="DeliveryQueue{TDb}"/>.
/// </summary>
internal sealed class PostgresDeliveryQueue(PostgresDb db, PostgresSenderLeases lease, IServiceScopeFactory scopes, TimeProvider clock)
    : DeliveryQueue<PostgresDb>(db)
{
    /// <summary>How soon a sender looks again while other instances still hold rows of the issue.</summary>
    private static readonly TimeSpan OthersInFlightLook = TimeSpan.FromSeconds(1);

    public override async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(long issueId, long afterId, int limit, string? winner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await Db.OpenAsync(cancellationToken);

        // One round trip, one implicit transaction: the lease check (its row locked FOR SHARE), then
        // the claim, which claims nothing when the check found no live lease.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                lease.HeldCheck(),
                new NpgsqlBatchCommand(
                    $"""
                    WITH claimed AS (
                        UPDATE deliveries d SET status = 'Sending', claimedat = @now, claimedby = @me
                        WHERE d.id IN (
                            SELECT id FROM deliveries
                            WHERE issueid = @issue AND status = 'Queued' AND id > @after
                              AND (nextattemptat IS NULL OR nextattemptat <= @now)
                              AND NOT EXISTS (
                                  SELECT 1 FROM subscribers s JOIN pauseddomains p ON p.domain = substr(s.email, strpos(s.email, '@') + 1)
                                  WHERE s.id = deliveries.subscriberid)
                              AND {Gate.Sql.Replace("d.", "deliveries.", StringComparison.Ordinal)}
                            ORDER BY id
                            LIMIT @limit
                            FOR UPDATE SKIP LOCKED)
                          AND EXISTS (SELECT 1 FROM senderleases WHERE id = @me AND expiresat >= @now)
                        RETURNING d.id, d.subscriberid, d.attempts, d.variant)
                    SELECT c.id, c.subscriberid, c.attempts, s.email, s.name, s.status, s.unsubscribetoken, c.variant
                    FROM claimed c LEFT JOIN subscribers s ON s.id = c.subscriberid
                    ORDER BY c.id
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter("now", now), new NpgsqlParameter("me", lease.Id), new NpgsqlParameter("issue", issueId),
                        new NpgsqlParameter("after", afterId), new NpgsqlParameter("limit", limit),
                        new NpgsqlParameter("winner", NpgsqlDbType.Text) { Value = (object?)winner ?? DBNull.Value },
                    },
                },
            },
        };

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new SenderLeaseLostException();
        }

        await reader.NextResultAsync(cancellationToken);
        var claimed = new List<ClaimedDelivery>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(ReadClaimed(reader));
        }

        return claimed;
    }

    /// <summary>Each group on a pooled connection: Npgsql's pool hands one back at once, and a group is one round trip already.</summary>
    public override IOutcomeWriter OpenOutcomeWriter() => new PooledOutcomeWriter(this);

    /// <summary>One group, as <see cref="IOutcomeWriter.RecordAsync"/> records it.</summary>
    private async Task RecordAsync(IReadOnlyCollection<DeliveryRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await Db.OpenAsync(cancellationToken);
        if (!records.Any(r => r.BouncedSubscriberId is not null))
        {
            // The usual group: one round trip, one implicit transaction (the lease check, then the
            // update, which writes nothing when the check found no live lease). Three round trips
            // (check, update, commit) per group were most of the time a connection waited for its
            // mail before last to be durable.
            await using var batch = new NpgsqlBatch(connection) { BatchCommands = { lease.HeldCheck(), RecordCommand(records, now) } };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new SenderLeaseLostException();
            }

            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var check = new NpgsqlBatch(connection, transaction) { BatchCommands = { lease.HeldCheck(), RecordCommand(records, now) } })
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new SenderLeaseLostException();
            }
        }

        var bounced = records.Where(r => r.BouncedSubscriberId is not null).Select(r => r.BouncedSubscriberId!.Value).ToList();
        await RecordedBounces.ApplyAsync(scopes, connection, transaction, bounced, now, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The outcomes of a group in one statement, only for rows this instance's lease owns, and only
    /// while that lease is live (checked again here, so that a batch without a transaction writes
    /// nothing when the check before it found the lease gone).
    /// </summary>
    private NpgsqlBatchCommand RecordCommand(IReadOnlyCollection<DeliveryRecord> records, long now) => new(
        """
        UPDATE deliveries d
        SET status = r.status, attempts = r.attempts, nextattemptat = r.next, lasterror = r.error, failurereason = r.reason, failurestatus = r.code, claimedat = NULL, claimedby = NULL,
            sentat = CASE WHEN r.status = 'Sent' THEN @now ELSE d.sentat END
        FROM unnest(@ids, @statuses, @attempts, @nexts, @errors, @reasons, @codes) AS r(id, status, attempts, next, error, reason, code)
        WHERE d.id = r.id AND d.status = 'Sending' AND d.claimedby = @me
          AND EXISTS (SELECT 1 FROM senderleases WHERE id = @me AND expiresat >= @now)
        """)
    {
        Parameters =
        {
            new NpgsqlParameter("now", now),
            new NpgsqlParameter("me", lease.Id),
            new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = records.Select(r => r.Id).ToArray() },
            new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = records.Select(r => r.Status.ToString()).ToArray() },
            new NpgsqlParameter("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = records.Select(r => r.Attempts).ToArray() },
            new NpgsqlParameter("nexts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = records.Select(r => r.NextAttemptAt?.ToUnixTimeMilliseconds()).ToArray() },
            new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = records.Select(r => r.Error).ToArray() },
            new NpgsqlParameter("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = records.Select(r => r.Failure?.ReasonName).ToArray() },
            new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = records.Select(r => r.Failure?.Status).ToArray() },
        },
    };

    /// <summary>
    /// When the next queued delivery is due; and while other instances still hold rows of the issue
    /// (in flight, or claimed by one that died and not yet put back), in a second: this sender stays
    /// on the issue and takes those rows if they come back, instead of ending its run while the issue
    /// is not done.
    /// </summary>
    public override async Task<DateTimeOffset?> NextDueAsync(long issueId, string? winner, CancellationToken cancellationToken)
    {
        var result = await Db.ScalarAsync(
            $"""
            SELECT LEAST(
                (SELECT MIN(COALESCE(d.nextattemptat, 0)) FROM deliveries d WHERE d.issueid = @issue AND d.status = 'Queued'
                    AND NOT EXISTS (
                        SELECT 1 FROM subscribers s JOIN pauseddomains p ON p.domain = substr(s.email, strpos(s.email, '@') + 1)
                        WHERE s.id = d.subscriberid)
                    AND {Gate.Sql}),
                (SELECT @soon::bigint FROM deliveries WHERE issueid = @issue AND status = 'Sending' AND claimedby IS DISTINCT FROM @me LIMIT 1))
            """, cancellationToken, ("issue", issueId), ("me", lease.Id), ("winner", winner ?? (object)DBNull.Value),
            ("soon", (clock.GetUtcNow() + OthersInFlightLook).ToUnixTimeMilliseconds()));
        return result is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private sealed class PooledOutcomeWriter(PostgresDeliveryQueue queue) : IOutcomeWriter
    {
        public Task RecordAsync(IReadOnlyCollection<DeliveryRecord> records, CancellationToken cancellationToken) =>
            queue.RecordAsync(records, cancellationToken);

        public void Dispose()
        {
        }
    }
}
