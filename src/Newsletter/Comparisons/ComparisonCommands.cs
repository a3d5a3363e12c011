using System.CommandLine;
using Newsletter.Web;

namespace Newsletter.Comparisons;

/// <summary>`import PATH`: comparison documents from a file or a folder.</summary>
public static class ComparisonCommands
{
    public static IEnumerable<Command> Create(IServiceProvider services)
    {
        var path = new Argument<string>("path") { Description = "A comparison JSON file, or a folder of them." };
        var import = new Command("import", "Import comparison documents (upsert by slug).") { path };
        import.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<ComparisonFileImporter>();
            var results = await importer.ImportAsync(parse.GetValue(path)!, ct);
            foreach (var r in results)
            {
                if (r.Outcome == UpsertOutcome.Invalid)
                {
                    var reasons = string.Join("; ", r.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}"));
                    await Console.Error.WriteLineAsync($"invalid {r.File}: {reasons}");
                }
                else
                {
                    Console.WriteLine($"{r.Outcome.ToString().ToLowerInvariant()} {r.File}");
                }
            }

            var invalid = results.Count(r => r.Outcome == UpsertOutcome.Invalid);
            Console.WriteLine($"{results.Count - invalid} imported, {invalid} invalid");
            await services.GetRequiredService<IAuditLog>().RecordAsync("Imported comparisons", $"{results.Count - invalid} imported, {invalid} invalid", cancellationToken: ct);
            return invalid == 0 ? 0 : 1;
        });
        yield return import;
    }
}
