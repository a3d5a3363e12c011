using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Newsletter.Data;

/// <summary>
/// The part of `database copy` that moves the schedule: the rows of Quartz's job store that define
/// it (jobs, triggers with their next and previous fire times, calendars, paused groups), so the
/// first start on PostgreSQL finds the digest trigger as the old worker left it and, if a fire fell
/// due during the move, Quartz catches it up once (the trigger's misfire instruction), on one instance
/// of the cluster. The store's runtime rows (fires in progress, scheduler check-ins, locks, run
/// history) belong to the old process and stay behind.
/// </summary>
internal static class DatabaseCopySchedule
{
    /// <summary>Principal tables first (the trigger tables refer to qrtz_triggers, which refers to qrtz_job_details).</summary>
    private static readonly string[] Tables =
    [
        "qrtz_job_details", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_paused_job_grps",
        "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers",
    ];

    /// <summary>
    /// Copies the schedule's rows inside the copy's snapshot and transaction. Names are unquoted: SQLite
    /// matches QRTZ_TRIGGERS case-insensitively, PostgreSQL folds them to its lower-case tables.
    /// </summary>
    public static async Task<List<CopiedTable>> CopyAsync(
        DbConnection from, DbTransaction snapshot, NpgsqlConnection to, NpgsqlTransaction write, ILogger logger, CancellationToken cancellationToken)
    {
        // A start on the empty target may have set up a schedule of its own: the source's replaces it.
        foreach (var table in Enumerable.Reverse(Tables))
        {
            await ExecuteAsync(to, write, $"DELETE FROM {table}", cancellationToken);
        }

        var copied = new List<CopiedTable>();
        foreach (var table in Tables)
        {
            var columns = await ColumnsAsync(to, write, table, cancellationToken);
            var rows = await ReadAsync(from, snapshot, table, columns, cancellationToken);
            foreach (var row in rows)
            {
                await InsertAsync(to, write, table, columns, row, cancellationToken);
            }

            var landed = await CountAsync(to, write, table, cancellationToken);
            if (landed != rows.Count)
            {
                throw new DatabaseCopyException($"{table}: {rows.Count} rows in the source, {landed} in the target; nothing was copied");
            }

            logger.LogInformation("Copied {Table}: {Rows} rows", table, rows.Count);
            copied.Add(new CopiedTable(table, rows.Count));
        }

        // A trigger the old worker had acquired or blocked waits again: the fire records that explain
        // those states stay behind (Quartz's own recovery does the same when a lone scheduler starts).
        await ExecuteAsync(to, write, "UPDATE qrtz_triggers SET trigger_state = 'WAITING' WHERE trigger_state IN ('ACQUIRED', 'BLOCKED')", cancellationToken);
        await ExecuteAsync(to, write, "UPDATE qrtz_triggers SET trigger_state = 'PAUSED' WHERE trigger_state = 'PAUSED_BLOCKED'", cancellationToken);
        return copied;
    }

    /// <summary>The target's columns and their types, in table order: what the migration made.</summary>
    private static async Task<List<(string Name, string Type)>> ColumnsAsync(NpgsqlConnection to, NpgsqlTransaction write, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position",
            to, write);
        command.Parameters.AddWithValue("table", table);
        var columns = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns.Count > 0 ? columns : throw new DatabaseCopyException($"the target has no table {table}");
    }

    /// <summary>A schedule is a handful of rows (one job and trigger per scheduled thing): read whole.</summary>
    private static async Task<List<object?[]>> ReadAsync(
        DbConnection from, DbTransaction snapshot, string table, List<(string Name, string Type)> columns, CancellationToken cancellationToken)
    {
        await using var read = from.CreateCommand();
        read.Transaction = snapshot;
#pragma warning disable CA2100 // Table and column names come from the list above and the target's schema.
        read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {table}";
#pragma warning restore CA2100
        var rows = new List<object?[]>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task InsertAsync(
        NpgsqlConnection to, NpgsqlTransaction write, string table, List<(string Name, string Type)> columns, object?[] row, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand { Connection = to, Transaction = write };
        var holes = new string[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            var (_, type) = columns[i];
            insert.Parameters.Add(new NpgsqlParameter("p" + i, ToTarget(row[i], type)));
            holes[i] = type is "text" or "character varying" ? "@p" + i : $"@p{i}::{type}";
        }

#pragma warning disable CA2100 // Table and column names come from the list above and the target's schema; values are parameters.
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", holes)})";
#pragma warning restore CA2100
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>SQLite keeps Quartz's BIT columns as 0/1; the rest PostgreSQL casts as sent.</summary>
    private static object ToTarget(object? value, string type) => value switch
    {
        null => DBNull.Value,
        long number when type == "boolean" => number != 0,
        string text when type == "boolean" => text is "1" or "true" or "True",
        _ => value,
    };

    private static async Task<long> CountAsync(NpgsqlConnection to, NpgsqlTransaction write, string table, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // The table name comes from the list above.
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", to, write);
#pragma warning restore CA2100
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection to, NpgsqlTransaction write, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // Fixed statements and table names from the list above.
        await using var command = new NpgsqlCommand(sql, to, write);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
