using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Newsletter.Data;

/// <summary>
/// Per-connection SQLite settings (unlike WAL, SQLite does not keep these in the file).
/// synchronous=NORMAL is the setting SQLite recommends with WAL: a commit no longer waits for an
/// fsync of the log, and no committed transaction is lost when the process crashes or is killed;
/// only a power cut or OS crash can roll back the last few commits. Every signup and every batch a
/// sender records is a commit, so this is most of their cost.
/// busy_timeout lets SQLite itself wait for the write lock in steps of a few milliseconds; without it
/// Microsoft.Data.Sqlite retries a busy statement every 150 ms, which is what concurrent signups
/// waited for.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);

    /// <summary>For connections opened outside EF Core (the delivery store's set-based SQL).</summary>
    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
