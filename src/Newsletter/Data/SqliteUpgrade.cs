using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Newsletter.Data;

/// <summary>
/// An upgrade of a SQLite file that cannot lose it. EF Core commits each migration on its own, so a
/// migration that fails halfway would leave a file that is neither the old schema nor the new one.
/// Instead: a consistent copy of the file as it is (newsletter.db.before-&lt;first pending migration&gt;,
/// kept for the operator), a second copy that is migrated, and only when every migration went
/// through, that copy takes the file's place. A failure leaves the old file as it was.
/// </summary>
public static class SqliteUpgrade
{
    /// <summary>Migrates <paramref name="db"/>'s file by copy and swap; returns the pre-migration copy's path.</summary>
    public static async Task<string> MigrateAsync(NewsletterDbContext db, IReadOnlyList<string> pending, ILogger logger, CancellationToken cancellationToken)
    {
        var file = db.Database.GetDbConnection().DataSource;
        var before = $"{file}.before-{pending[0]}";
        var working = $"{file}.migrating";
        if (File.Exists(before))
        {
            // A failed attempt made it; that copy is the one from before any of these migrations.
            logger.LogInformation("Keeping the copy {Copy} from an earlier attempt", before);
        }
        else
        {
            await SqliteCopy.VacuumIntoAsync(db, before, cancellationToken);
            logger.LogInformation("Copied the database to {Copy} before applying {Count} migrations ({Migrations})",
                before, pending.Count, string.Join(", ", pending));
        }

        DeleteWithSidecars(working);
        File.Copy(before, working);
        try
        {
            var target = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { DataSource = working, Pooling = false };
            await using (var copy = new NewsletterDbContext(new DbContextOptionsBuilder<NewsletterDbContext>().UseSqlite(target.ConnectionString).Options))
            {
                await copy.Database.MigrateAsync(cancellationToken);
                await copy.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DeleteWithSidecars(working);
            throw new InvalidOperationException(
                $"the migration of {file} failed, and the file is left as it was (a copy from before is {before}): {e.Message}", e);
        }

        // Nothing may hold the old file open while it is replaced; its -wal belongs to it (the copy
        // has everything the log held) and must not be read as the new file's.
        await db.Database.CloseConnectionAsync();
        SqliteConnection.ClearAllPools();
        foreach (var sidecar in new[] { "-wal", "-shm" })
        {
            File.Delete(working + sidecar);
            File.Delete(file + sidecar);
        }

        File.Move(working, file, overwrite: true);
        return before;
    }

    private static void DeleteWithSidecars(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }
}
