using System.CommandLine;
using System.Data.Common;

namespace Newsletter.Data;

/// <summary>`database copy --to CONNECTION`: move the list from SQLite to PostgreSQL; `backup --to FILE`: a copy of a SQLite database in use.</summary>
public static class DatabaseCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var to = new Option<string>("--to")
        {
            Description = "An Npgsql connection string of an empty PostgreSQL database, e.g. \"Host=db;Database=newsletter;Username=newsletter;Password=…\".",
            Required = true,
        };
        var copy = new Command("copy", "Copy everything from the configured database into an empty PostgreSQL database, in one transaction.") { to };
        copy.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var copier = ActivatorUtilities.CreateInstance<DatabaseCopy>(scope.ServiceProvider);
            IReadOnlyList<CopiedTable> tables;
            try
            {
                tables = await copier.CopyAsync(parse.GetValue(to)!, ct);
            }
            catch (Exception e) when (e is DatabaseCopyException or DbException)
            {
                // Npgsql's messages name the host and the problem, never the password.
                await Console.Error.WriteLineAsync($"newsletter: database copy: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }

            foreach (var table in tables)
            {
                Console.WriteLine($"{table.Table}: {table.Rows} rows");
            }

            Console.WriteLine($"Copied {tables.Sum(t => t.Rows)} rows in {tables.Count} tables; the counts match.");
            return 0;
        });

        yield return new Command("database", "Move the data between databases.") { copy };
        yield return BackupCommand(services);
    }

    private static Command BackupCommand(IServiceProvider services)
    {
        var to = new Option<string>("--to") { Description = "The file to write the backup to.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var backup = new Command("backup", "Write a consistent copy of the SQLite database to a file, while the worker runs and sends.") { to, force };
        backup.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var target = parse.GetValue(to)!;
            try
            {
                var bytes = await ActivatorUtilities.CreateInstance<DatabaseBackup>(scope.ServiceProvider).WriteAsync(target, parse.GetValue(force), ct);
                Console.WriteLine($"Backed up the database to {Path.GetFullPath(target)} ({bytes} bytes; PRAGMA integrity_check: ok).");
                return 0;
            }
            catch (Exception e) when (e is DatabaseBackupException or DbException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"newsletter: backup: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
        });
        return backup;
    }
}
