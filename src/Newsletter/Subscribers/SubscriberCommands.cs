using System.CommandLine;
using Newsletter.Web;

namespace Newsletter.Subscribers;

/// <summary>`subscribers import FILE` and `subscribers export [--output FILE]`.</summary>
public static class SubscriberCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var file = new Argument<string>("file") { Description = "A CSV of email,name[,status], with or without a header line." };
        var import = new Command("import", "Import subscribers from a CSV (no mail is sent; new rows default to confirmed).") { file };
        import.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            if (Directory.Exists(path))
            {
                await Console.Error.WriteLineAsync($"newsletter: {path} is a folder; give one CSV file");
                return 1;
            }

            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"newsletter: no such file: {path}");
                return 1;
            }

            await using var scope = services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<SubscriberImport>();
            await using var reader = File.OpenRead(path);
            ImportResult result;
            try
            {
                result = await importer.ImportAsync(reader, "import " + Path.GetFileName(path), ct);
            }
            catch (SubscriberCsvException e)
            {
                await Console.Error.WriteLineAsync($"newsletter: {path}: {e.Message}");
                return 1;
            }

            foreach (var row in result.Invalid)
            {
                await Console.Error.WriteLineAsync($"invalid {Path.GetFileName(path)} line {row.Line}: {row.Reason}");
            }

            Console.WriteLine($"{result.Added} added, {result.Updated} updated, {result.Unchanged} unchanged, {result.Invalid.Count} invalid");
            await services.GetRequiredService<IAuditLog>().RecordAsync(
                "Imported subscribers", $"{result.Added} added, {result.Updated} updated, {result.Invalid.Count} invalid", cancellationToken: ct);
            return result.Invalid.Count == 0 ? 0 : 1;
        });

        var output = new Option<string?>("--output", "-o") { Description = "Write the CSV to this file instead of standard output." };
        var export = new Command("export", "Write every subscriber as CSV (header included).") { output };
        export.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var exporter = scope.ServiceProvider.GetRequiredService<SubscriberExport>();
            var path = parse.GetValue(output);
            await using var stream = path is null ? Console.OpenStandardOutput() : File.Create(Path.GetFullPath(path));
            await exporter.WriteAsync(stream, ct);
            await services.GetRequiredService<IAuditLog>().RecordAsync("Exported subscribers", cancellationToken: ct);

            return 0;
        });

        yield return new Command("subscribers", "Import or export the subscriber list.") { import, export };
    }
}
