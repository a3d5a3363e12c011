namespace Newsletter.Comparisons;

/// <summary>The `import PATH` command: one comparison document, or every *.json in a folder.</summary>
public sealed class ComparisonFileImporter(ComparisonStore store)
{
    public sealed record FileResult(string File, UpsertOutcome Outcome, Dictionary<string, string[]> Errors);

    /// <summary>A relative <paramref name="path"/> is relative to the working folder (where the command was typed).</summary>
    public async Task<List<FileResult>> ImportAsync(string path, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
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
            results.Add(await ImportFileAsync(file, cancellationToken));
        }

        return results;
    }

    /// <summary>One file; one that cannot be read is reported like an invalid one, and the next file is still tried.</summary>
    private async Task<FileResult> ImportFileAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(file);
            var (doc, errors) = await ComparisonParser.ParseAsync(stream, cancellationToken);
            var result = doc is null ? UpsertResult.Invalid(errors) : await store.UpsertAsync(doc, cancellationToken);
            return new FileResult(file, result.Outcome, result.Errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileResult(file, UpsertOutcome.Invalid, new() { ["file"] = ["could not be read: " + e.Message] });
        }
    }
}
