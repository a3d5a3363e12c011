using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
using Newsletter.EditorAccounts;
using Newsletter.Scheduling;
using Newsletter.SendingSetup;
using Newsletter.Subscribers;
using Newsletter.Templates;

namespace Newsletter.Cli;

/// <summary>
/// The executable's commands: `run` (the default: worker and web) or one job done and exit.
/// Each feature contributes its own commands; this only routes to them.
/// </summary>
public static class CommandLine
{
    /// <summary>No command, `run`, or only host options (--urls, --environment …) mean: run the worker.</summary>
    public static bool IsRun(string[] args) => args.Length == 0 || args[0] == "run" || args[0].StartsWith('-');

    /// <summary>What the host's own configuration reads from the command line.</summary>
    public static string[] HostArgs(string[] args) => IsRun(args) ? [.. args.SkipWhile(a => a == "run")] : [];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (IsRun(args))
        {
            CheckStartup(app.Services);
            await RunUntilStoppedAsync(app);
            return 0;
        }

        var services = app.Services;
        var root = new RootCommand("AI Tool Verdicts: the newsletter worker. Without a command it runs the worker and web front.");
        root.Subcommands.Add(new Command("run", "Run the worker, the schedule and the web front (the default)."));
        root.Subcommands.Add(MigrateCommand(services));
        foreach (var command in ComparisonCommands.Create(services)
            .Concat(SubscriberCommands.Create(services))
            .Concat(DigestCommands.Create(services))
            .Concat(DeliveryCommands.Create(services))
            .Concat(DatabaseCommands.Create(services))
            .Concat(DoctorCommand.Create(services))
            .Concat(EditorCommands.Create(services)))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("newsletter: " + string.Join("; ", parsed.Errors.Select(e => e.Message)));
            return 2;
        }

        await PrepareAsync(services, migrate: !LeavesTheSchemaAlone(args));
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// app.RunAsync(), with an end: once the host has stopped, disposing the services must not keep
    /// the process. Quartz's scheduler, disposed with the container, shuts down once more and waits
    /// on a job store that retries a lost database connection for as long as it takes (PostgreSQL
    /// gone at the moment of a stop kept the process over an hour, until systemd's SIGKILL). The
    /// data is safe by then: every hosted service has stopped, and what a job store did not record is
    /// recovered at the next start.
    /// </summary>
    private static async Task RunUntilStoppedAsync(WebApplication app)
    {
        var scheduler = app.Services.GetServices<IHostedService>().OfType<BoundedSchedulerStop>().FirstOrDefault();
        await app.StartAsync();
        await app.WaitForShutdownAsync();
        var disposing = app.DisposeAsync().AsTask();
        var disposed = await Task.WhenAny(disposing, Task.Delay(DisposeBound)) == disposing;
        if (!disposed)
        {
            await Console.Error.WriteLineAsync(
                $"newsletter: the services did not finish disposing within {DisposeBound.TotalSeconds} s after the stop (the database unreachable?); exiting without them");
        }

        // Returning from Main is not enough then: a scheduler whose stop was abandoned leaves Quartz's
        // dispatch threads, foreground threads, waiting on its job store, and they would keep the
        // process alive after Main returns.
        if (!disposed || scheduler?.Abandoned == true)
        {
            Environment.Exit(0);
        }
    }

    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Options and templates are checked before the host starts, so that a wrong setting or a broken
    /// template ends the process with one line instead of a host failure with a stack trace.
    /// </summary>
    private static void CheckStartup(IServiceProvider services)
    {
        services.GetRequiredService<IStartupValidator>().Validate();
        services.GetRequiredService<TemplateLibrary>();
    }

    /// <summary>
    /// `migrate` migrates (or, with --dry-run, only tells); `backup` copies the database as it is,
    /// which is what an operator wants before an upgrade: neither migrates first.
    /// </summary>
    private static bool LeavesTheSchemaAlone(string[] args) => args[0] is "migrate" or "backup";

    /// <summary>What `run` checks and does at start, for a command: options, templates, migrations, duplicate readers merged, the departures journal.</summary>
    private static async Task PrepareAsync(IServiceProvider services, bool migrate)
    {
        CheckStartup(services);
        if (!migrate)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<NewsletterDbContext>(), CancellationToken.None);
        await services.GetRequiredService<DuplicateReaders>().MergeAsync(CancellationToken.None);
        await services.GetRequiredService<DepartureReplay>().ReplayAsync(CancellationToken.None);
    }

    private static Command MigrateCommand(IServiceProvider services)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list the migrations that would be applied; change nothing." };
        var command = new Command("migrate", "Create or update the database to the newest schema, then exit.") { dryRun };
        command.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
            if (parse.GetValue(dryRun))
            {
                var pending = await DatabaseMigrator.PendingAsync(db, ct);
                Console.WriteLine(pending.Count == 0
                    ? $"Database {db.Database.GetDbConnection().DataSource} is up to date; nothing would be applied."
                    : $"{pending.Count} migrations would be applied to {db.Database.GetDbConnection().DataSource}:");
                foreach (var migration in pending)
                {
                    Console.WriteLine(migration);
                }

                return 0;
            }

            await DatabaseMigrator.MigrateAsync(db, ct);
            await services.GetRequiredService<DuplicateReaders>().MergeAsync(ct);
            await services.GetRequiredService<DepartureReplay>().ReplayAsync(ct);
            var migrations = (await db.Database.GetAppliedMigrationsAsync(ct)).Count();
            Console.WriteLine($"Database {db.Database.GetDbConnection().DataSource} is up to date ({migrations} migrations).");
            return 0;
        });
        return command;
    }
}
