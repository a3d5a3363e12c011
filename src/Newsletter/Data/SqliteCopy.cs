using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Newsletter.Data;

/// <summary>A consistent copy of a SQLite database in use: one read transaction, so writers go on.</summary>
public static class SqliteCopy
{
    /// <summary>
    /// VACUUM INTO: the whole database as one snapshot, written compact to a new file (never a file
    /// copy of a database in use, which can catch it between two pages of a commit). The target must
    /// not exist.
    /// </summary>
    public static async Task VacuumIntoAsync(NewsletterDbContext db, string target, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO $target;";
            command.Parameters.AddWithValue("$target", target);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>PRAGMA integrity_check of a file: "ok", or what SQLite found wrong.</summary>
    public static async Task<string> IntegrityCheckAsync(string file, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines);
    }
}
