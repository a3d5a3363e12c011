namespace Newsletter.Comparisons;

/// <summary>The `import PATH` command: one comparison document, or every *.json in a folder.</summary>
public sealed class ComparisonFileImporter(ComparisonStore store)
{
    public sealed record FileResult(string File, UpsertOutcome Outcome, Dictionary<string, string[]> Errors);

    public async Task<List<FileResult>> ImportAsync(string path, CancellationToken cancellationToken)
    {
        string[] files;
        if (Directory.Exists(path))
        {
            files = [.. Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal)];
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new FileNotFoundException($"No file or folder at {path}");
        }

        var results = new List<FileResult>(files.Length);
        foreach (var file in files)
        {
            await using var stream = File.OpenRead(file);
            var (doc, errors) = await ComparisonParser.ParseAsync(stream, cancellationToken);
            var result = doc is null ? UpsertResult.Invalid(errors) : await store.UpsertAsync(doc, cancellationToken);
            results.Add(new FileResult(file, result.Outcome, result.Errors));
        }

        return results;
    }
}
