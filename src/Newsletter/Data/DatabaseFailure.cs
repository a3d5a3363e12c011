using Microsoft.Data.Sqlite;
using Npgsql;

namespace Newsletter.Data;

/// <summary>
/// Tells a database that cannot take writes (disk full, read-only file or folder, I/O error; on
/// PostgreSQL also a read-only server or session, a role without the right, a server that is
/// shutting down or cannot be reached) from a bug: the first is the operator's to fix and the
/// reader's to wait out, so it is answered with 503 and a plain page rather than a 500.
/// </summary>
public static class DatabaseFailure
{
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CannotOpen = 14;

    public static bool IsUnwritable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: ReadOnly or IoError or Full or CannotOpen })
            {
                return true;
            }

            if (e is PostgresException pg ? IsUnwritable(pg.SqlState) : e is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// 25006 read_only_sql_transaction (a standby, default_transaction_read_only), 42501
    /// insufficient_privilege, class 53 insufficient resources (disk full, too many connections),
    /// 58030 io_error, 57P01-57P04 the server is shutting down or starting or the database was
    /// dropped, 3D000 the database does not exist, class 08 the connection failed, class 28 the
    /// server refused the login.
    /// </summary>
    private static bool IsUnwritable(string sqlState) =>
        sqlState is "25006" or "42501" or "58030" or "57P01" or "57P02" or "57P03" or "57P04" or "3D000"
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("28", StringComparison.Ordinal);
}
