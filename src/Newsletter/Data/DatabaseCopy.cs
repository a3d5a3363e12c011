using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Newsletter.Data;

/// <summary>Why a copy did not start or did not finish; the target is left as it was.</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);

/// <summary>One table copied: its name and how many rows it holds on both sides.</summary>
public sealed record CopiedTable(string Table, long Rows);

/// <summary>
/// `database copy --to CONNECTION`: everything in the configured database, table by table in the
/// order of the foreign keys, into an empty PostgreSQL database, in one transaction on the target
/// (a failure leaves it as empty as it was). Each table is read in keyset pages of its primary key
/// from one consistent snapshot of the source, so no table is ever held in memory. The tables and
/// columns come from the EF model, so a table a later migration adds is copied too; the schedule's
/// rows in the Quartz tables follow (<see cref="DatabaseCopySchedule"/>), so a fire due during the
/// move is caught up at the first start.
/// </summary>
public sealed class DatabaseCopy(NewsletterDbContext source, ILogger<DatabaseCopy> logger)
{
    public const int PageSize = 1000;

    public async Task<IReadOnlyList<CopiedTable>> CopyAsync(string targetConnectionString, CancellationToken cancellationToken)
    {
        string target;
        try
        {
            target = new NpgsqlConnectionStringBuilder(targetConnectionString).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new DatabaseCopyException($"--to is not a PostgreSQL (Npgsql) connection string: {e.Message}");
        }

        await using var targetDb = new PostgresNewsletterDbContext(
            new DbContextOptionsBuilder<PostgresNewsletterDbContext>().UseNpgsql(target).Options);
        // The design-time model: the runtime one leaves out the seed data (HasData) that Plan looks at.
        var tables = Plan(source.GetService<IDesignTimeModel>().Model.GetRelationalModel(), targetDb.GetService<IDesignTimeModel>().Model.GetRelationalModel());

        await RefuseForeignTablesAsync(targetDb, tables, cancellationToken);
        await targetDb.Database.MigrateAsync(cancellationToken);
        await RefuseDataAsync(targetDb, tables, cancellationToken);

        var from = source.Database.GetDbConnection();
        await source.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var snapshot = from is SqliteConnection sqlite
                ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true)
                : await from.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var to = (NpgsqlConnection)targetDb.Database.GetDbConnection();
            await targetDb.Database.OpenConnectionAsync(cancellationToken);
            await using var write = await to.BeginTransactionAsync(cancellationToken);

            var copied = new List<CopiedTable>();
            foreach (var table in tables)
            {
                if (table.Seeded)
                {
                    // Rows the migrations seeded (the sender lease) are replaced by the source's own.
                    await ExecuteAsync(to, write, $"DELETE FROM {Quote(table.Target.Name)}", cancellationToken);
                }

                var rows = await CopyTableAsync(from, snapshot, to, write, table, cancellationToken);
                var expected = await CountAsync(from, snapshot, table.Source.Name, cancellationToken);
                var landed = await CountAsync(to, write, table.Target.Name, cancellationToken);
                if (rows != expected || landed != expected)
                {
                    throw new DatabaseCopyException($"{table.Target.Name}: {expected} rows in the source, {landed} in the target; nothing was copied");
                }

                logger.LogInformation("Copied {Table}: {Rows} rows", table.Target.Name, rows);
                copied.Add(new CopiedTable(table.Target.Name, rows));
            }

            copied.AddRange(await DatabaseCopySchedule.CopyAsync(from, snapshot, to, write, logger, cancellationToken));

            foreach (var table in tables)
            {
                await MoveIdentityPastCopiedIdsAsync(to, write, table.Target, cancellationToken);
            }

            await write.CommitAsync(cancellationToken);
            return copied;
        }
        finally
        {
            await source.Database.CloseConnectionAsync();
        }
    }

    private sealed record TablePair(ITable Source, ITable Target, IReadOnlyList<(IColumn From, IColumn To)> Columns, bool Seeded);

    /// <summary>The tables principal-first, each with its columns matched by name (PostgreSQL's are the lower-case ones).</summary>
    private static List<TablePair> Plan(IRelationalModel from, IRelationalModel to)
    {
        var pairs = new Dictionary<string, TablePair>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in from.Tables.Where(t => t.PrimaryKey is not null))
        {
            var target = to.Tables.Single(t => string.Equals(t.Name, table.Name, StringComparison.OrdinalIgnoreCase));
            var columns = table.Columns
                .Select(c => (c, target.Columns.Single(tc => string.Equals(tc.Name, c.Name, StringComparison.OrdinalIgnoreCase))))
                .ToList();
            var seeded = table.EntityTypeMappings.Any(m => m.TypeBase is IEntityType e && e.GetSeedData().Any());
            pairs[table.Name] = new TablePair(table, target, columns, seeded);
        }

        var ordered = new List<TablePair>();
        var placed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (ordered.Count < pairs.Count)
        {
            var ready = pairs.Values
                .Where(p => !placed.Contains(p.Source.Name))
                .Where(p => p.Source.ForeignKeyConstraints.All(fk => fk.PrincipalTable == p.Source || placed.Contains(fk.PrincipalTable.Name)))
                .OrderBy(p => p.Source.Name, StringComparer.Ordinal)
                .ToList();
            if (ready.Count == 0)
            {
                throw new DatabaseCopyException("the tables' foreign keys form a cycle; copy them by hand");
            }

            ordered.AddRange(ready);
            placed.UnionWith(ready.Select(p => p.Source.Name));
        }

        return ordered;
    }

    /// <summary>A database that holds tables of something else is not a target, even if they are empty.</summary>
    private static async Task RefuseForeignTablesAsync(PostgresNewsletterDbContext target, List<TablePair> tables, CancellationToken cancellationToken)
    {
        var ours = tables.Select(t => t.Target.Name).ToHashSet(StringComparer.Ordinal);
        var present = await target.Database.SqlQueryRaw<string>(
            "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
            .ToListAsync(cancellationToken);
        var foreign = present
            .Where(t => !ours.Contains(t) && !t.StartsWith("qrtz_", StringComparison.Ordinal) && !t.StartsWith("__EFMigrations", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (foreign.Count > 0)
        {
            throw new DatabaseCopyException($"the target database is not empty: it holds other tables ({string.Join(", ", foreign.Take(5))})");
        }
    }

    private static async Task RefuseDataAsync(PostgresNewsletterDbContext target, List<TablePair> tables, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)target.Database.GetDbConnection();
        await target.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in tables.Where(t => !t.Seeded))
            {
                var rows = await CountAsync(connection, null, table.Target.Name, cancellationToken);
                if (rows > 0)
                {
                    throw new DatabaseCopyException($"the target database is not empty: {table.Target.Name} has {rows} rows");
                }
            }
        }
        finally
        {
            await target.Database.CloseConnectionAsync();
        }
    }

    private static async Task<long> CopyTableAsync(
        DbConnection from, DbTransaction snapshot, NpgsqlConnection to, NpgsqlTransaction write, TablePair table, CancellationToken cancellationToken)
    {
        var key = table.Source.PrimaryKey!.Columns.Select(c => table.Source.Columns.ToList().IndexOf((IColumn)c)).ToList();
        var select = $"SELECT {string.Join(", ", table.Columns.Select(c => Quote(c.From.Name)))} FROM {Quote(table.Source.Name)}";
        var order = $" ORDER BY {string.Join(", ", key.Select(i => Quote(table.Columns[i].From.Name)))} LIMIT {PageSize}";
        var after = $" WHERE ({string.Join(", ", key.Select(i => Quote(table.Columns[i].From.Name)))}) > ({string.Join(", ", key.Select((_, n) => "@k" + n))})";

        object?[]? last = null;
        long copied = 0;
        while (true)
        {
            var page = new List<object?[]>(PageSize);
            await using (var read = from.CreateCommand())
            {
                read.Transaction = snapshot;
#pragma warning disable CA2100 // Table and column names come from the EF model, values are parameters.
                read.CommandText = select + (last is null ? "" : after) + order;
#pragma warning restore CA2100
                for (var n = 0; last is not null && n < key.Count; n++)
                {
                    var parameter = read.CreateParameter();
                    parameter.ParameterName = "@k" + n;
                    parameter.Value = last[key[n]];
                    read.Parameters.Add(parameter);
                }

                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = new object?[table.Columns.Count];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    page.Add(row);
                }
            }

            if (page.Count == 0)
            {
                return copied;
            }

            await InsertAsync(to, write, table, page, cancellationToken);
            copied += page.Count;
            last = page[^1];
        }
    }

    /// <summary>One multi-row INSERT per page; values cast to the target's column types where text or numbers need it.</summary>
    private static async Task InsertAsync(NpgsqlConnection to, NpgsqlTransaction write, TablePair table, List<object?[]> page, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand { Connection = to, Transaction = write };
        var values = new List<string>(page.Count);
        foreach (var row in page)
        {
            var holes = new string[row.Length];
            for (var i = 0; i < row.Length; i++)
            {
                var column = table.Columns[i].To;
                var name = "p" + insert.Parameters.Count;
                insert.Parameters.Add(new NpgsqlParameter(name, ToTarget(row[i], column.StoreType)));
                holes[i] = IsText(column.StoreType) ? "@" + name : $"@{name}::{column.StoreType}";
            }

            values.Add("(" + string.Join(", ", holes) + ")");
        }

#pragma warning disable CA2100 // Table and column names come from the EF model, values are parameters.
        insert.CommandText = $"INSERT INTO {Quote(table.Target.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.To.Name)))}) VALUES {string.Join(", ", values)}";
#pragma warning restore CA2100
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Text goes in as text (a value too long for its column fails instead of being cut).</summary>
    private static bool IsText(string storeType) =>
        storeType == "text" || storeType.StartsWith("character varying", StringComparison.Ordinal);

    /// <summary>SQLite keeps booleans as 0/1; everything else is sent as read and cast by PostgreSQL.</summary>
    private static object ToTarget(object? value, string storeType) => value switch
    {
        null => DBNull.Value,
        long number when storeType == "boolean" => number != 0,
        _ => value,
    };

    /// <summary>An identity column continues after the highest copied id, so new rows get new ids.</summary>
    private static async Task MoveIdentityPastCopiedIdsAsync(NpgsqlConnection to, NpgsqlTransaction write, ITable table, CancellationToken cancellationToken)
    {
        // Only a single whole-number key can be an identity (a text key such as secrets' name cannot).
        if (table.PrimaryKey!.Columns.Count != 1 || table.PrimaryKey.Columns[0].StoreType is not ("bigint" or "integer" or "smallint"))
        {
            return;
        }

        var column = table.PrimaryKey.Columns[0].Name;
        await ExecuteAsync(to, write,
            $"SELECT setval(s, COALESCE((SELECT MAX({Quote(column)}) FROM {Quote(table.Name)}), 0) + 1, false) " +
            $"FROM pg_get_serial_sequence('{Quote(table.Name)}', '{column}') AS s WHERE s IS NOT NULL",
            cancellationToken);
    }

    private static async Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The table name comes from the EF model.
        command.CommandText = $"SELECT COUNT(*) FROM {Quote(table)}";
#pragma warning restore CA2100
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // Built from the EF model's names only.
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Both engines take double-quoted identifiers.</summary>
    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
