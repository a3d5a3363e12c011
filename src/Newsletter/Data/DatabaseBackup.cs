using Microsoft.EntityFrameworkCore;

namespace Newsletter.Data;

/// <summary>Why a backup was not written; nothing was left at the target.</summary>
public sealed class DatabaseBackupException(string message) : Exception(message);

/// <summary>
/// `backup --to FILE`: a consistent copy of the SQLite database while the worker runs and sends
/// (<see cref="SqliteCopy.VacuumIntoAsync"/>: one read snapshot; writers are not stopped), checked
/// with PRAGMA integrity_check before it takes its name, so FILE is either a whole good backup or
/// what it was before. PostgreSQL has its own tool for this.
/// </summary>
public sealed class DatabaseBackup(NewsletterDbContext db)
{
    public const string PostgresAdvice =
        "backup copies a SQLite database; on PostgreSQL use pg_dump (e.g. pg_dump -Fc -f newsletter.dump DATABASE) and pg_restore";

    public async Task<long> WriteAsync(string target, bool overwrite, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            throw new DatabaseBackupException(PostgresAdvice);
        }

        var path = Path.GetFullPath(target);
        if (File.Exists(path) && !overwrite)
        {
            throw new DatabaseBackupException($"{path} exists; pass --force to replace it");
        }

        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
        {
            throw new DatabaseBackupException($"the folder {folder} does not exist");
        }

        var source = Path.GetFullPath(db.Database.GetDbConnection().DataSource);
        if (path == source)
        {
            throw new DatabaseBackupException($"{path} is the database itself");
        }

        // Written beside the target under another name, then renamed: a crash or a full disk never
        // leaves half a backup under the name an operator restores from.
        var partial = $"{path}.partial-{Environment.ProcessId}";
        File.Delete(partial);
        try
        {
            await SqliteCopy.VacuumIntoAsync(db, partial, cancellationToken);
            var check = await SqliteCopy.IntegrityCheckAsync(partial, cancellationToken);
            if (check != "ok")
            {
                throw new DatabaseBackupException($"the copy failed SQLite's integrity check: {check}");
            }

            File.Move(partial, path, overwrite);
        }
        finally
        {
            File.Delete(partial);
        }

        return new FileInfo(path).Length;
    }
}
