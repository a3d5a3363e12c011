using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Delivery;
using Newsletter.Digests;
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
            await app.RunAsync();
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
            .Concat(DoctorCommand.Create(services)))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync("newsletter: " + string.Join("; ", parsed.Errors.Select(e => e.Message)));
            return 2;
        }

        await PrepareAsync(services);
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// Options and templates are checked before the host starts, so that a wrong setting or a broken
    /// template ends the process with one line instead of a host failure with a stack trace.
    /// </summary>
    private static void CheckStartup(IServiceProvider services)
    {
        services.GetRequiredService<IStartupValidator>().Validate();
        services.GetRequiredService<TemplateLibrary>();
    }

    /// <summary>What `run` checks and does at start, for a command: options, templates, migrations.</summary>
    private static async Task PrepareAsync(IServiceProvider services)
    {
        CheckStartup(services);
        await using var scope = services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<NewsletterDbContext>(), CancellationToken.None);
    }

    private static Command MigrateCommand(IServiceProvider services)
    {
        var command = new Command("migrate", "Create or update the database to the newest schema, then exit.");
        command.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsletterDbContext>();
            await DatabaseMigrator.MigrateAsync(db, ct);
            var migrations = (await db.Database.GetAppliedMigrationsAsync(ct)).Count();
            Console.WriteLine($"Database {db.Database.GetDbConnection().DataSource} is up to date ({migrations} migrations).");
            return 0;
        });
        return command;
    }
}
