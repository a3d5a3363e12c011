using System.Text.Json;

namespace Newsletter.Comparisons;

/// <summary>Reads a comparison document from JSON; a syntax or type error is reported like a field error.</summary>
public static class ComparisonParser
{
    public static async Task<(ComparisonDocument? Document, Dictionary<string, string[]> Errors)> ParseAsync(
        Stream json, CancellationToken cancellationToken)
    {
        try
        {
            var doc = await JsonSerializer.DeserializeAsync<ComparisonDocument>(json, ComparisonDocument.JsonOptions, cancellationToken);
            return doc is null
                ? (null, new() { ["$"] = ["must be a JSON object"] })
                : (doc, []);
        }
        catch (JsonException e)
        {
            // The path names the field ("$.tools[0].panelShipPercent"); report it without the "$.".
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, new() { [field] = [$"is not valid here{where}: {FirstSentence(e.Message)}"] });
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
