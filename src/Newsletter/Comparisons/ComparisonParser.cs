using System.Text.Json;

namespace Newsletter.Comparisons;

/// <summary>
/// Reads a comparison document from JSON. A syntax error is reported with its line; a value of the
/// wrong type is reported for every such field at once, by its path and in plain words ("must be a
/// whole number, not text"), never with a .NET type name.
/// </summary>
public static class ComparisonParser
{
    private enum Kind
    {
        Text,
        WholeNumber,
        Tools,
        Reviews,
    }

    private static readonly (string Name, Kind Kind)[] DocumentFields =
    [
        ("slug", Kind.Text), ("title", Kind.Text), ("question", Kind.Text), ("summary", Kind.Text), ("url", Kind.Text),
        ("publishedAt", Kind.Text), ("tools", Kind.Tools), ("reviews", Kind.Reviews),
    ];

    private static readonly (string Name, Kind Kind)[] ToolFields =
    [
        ("name", Kind.Text), ("category", Kind.Text), ("tagline", Kind.Text), ("description", Kind.Text), ("entry", Kind.Text),
        ("panelShipPercent", Kind.WholeNumber), ("communityShipPercent", Kind.WholeNumber),
    ];

    private static readonly (string Name, Kind Kind)[] ReviewFields =
    [
        ("tool", Kind.Text), ("lens", Kind.Text), ("verdict", Kind.Text), ("quote", Kind.Text),
    ];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static async Task<(ComparisonDocument? Document, Dictionary<string, string[]> Errors)> ParseAsync(
        Stream json, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(json, DocumentOptions, cancellationToken);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, new() { ["$"] = [$"is not valid JSON{where}: {FirstSentence(e.Message)}"] });
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, new() { ["$"] = [$"must be a JSON object, not {Describe(root.ValueKind)}"] });
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckObject(root, "", DocumentFields, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // Every field has its type now, so this cannot fail on a value.
        return (root.Deserialize<ComparisonDocument>(ComparisonDocument.JsonOptions), errors);
    }

    private static void CheckObject(JsonElement value, string prefix, (string Name, Kind Kind)[] fields, Dictionary<string, string[]> errors)
    {
        foreach (var property in value.EnumerateObject())
        {
            // Names match as the deserializer matches them (any case); other fields are ignored.
            var field = Array.Find(fields, f => f.Name.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
            if (field.Name is null)
            {
                continue;
            }

            var path = prefix + field.Name;
            var problem = field.Kind switch
            {
                Kind.Text => property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null ? null : "text",
                Kind.WholeNumber => property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Number => property.Value.TryGetInt32(out _) ? null : "a whole number",
                    _ => "a whole number or null",
                },
                _ => CheckList(property.Value, path, field.Kind == Kind.Tools ? ToolFields : ReviewFields, errors),
            };
            if (problem is not null)
            {
                errors[path] = [$"must be {problem}, not {Describe(property.Value)}"];
            }
        }
    }

    private static string? CheckList(JsonElement value, string path, (string Name, Kind Kind)[] fields, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return "a list (a JSON array)";
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{i++}]";
            if (item.ValueKind == JsonValueKind.Object)
            {
                CheckObject(item, itemPath + ".", fields, errors);
            }
            else if (item.ValueKind != JsonValueKind.Null)
            {
                errors[itemPath] = [$"must be an object, not {Describe(item)}"];
            }
        }

        return null;
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && !value.TryGetInt32(out _) ? $"the number {value.GetRawText()}" : Describe(value.ValueKind);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd();
    }
}
