using Microsoft.Data.Sqlite;

namespace Newsletter.Data;

/// <summary>
/// Tells a database that cannot take writes (disk full, read-only file or folder, I/O error) from
/// a bug: the first is the operator's to fix and the reader's to wait out, so it is answered with
/// 503 and a plain page rather than a 500.
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
        }

        return false;
    }
}
