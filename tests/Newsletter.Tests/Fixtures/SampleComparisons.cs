using System.Text.Json;
using System.Text.Json.Nodes;

namespace Newsletter.Tests.Fixtures;

/// <summary>The real sample comparison (tests/data, a copy of shared/data) and variations of it.</summary>
public static class SampleComparisons
{
    public const string Slug = "mistral-4b-edge-vs-modal-gpu-serverless-inference";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data", "comparisons");

    public static string Path1 => Path.Combine(Folder, Slug + ".json");

    public static string Json => File.ReadAllText(Path1);

    /// <summary>The sample as a mutable JSON tree, to vary one field at a time.</summary>
    public static JsonObject Node() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>The sample under another slug and publication time.</summary>
    public static JsonObject With(string slug, DateTimeOffset publishedAt, string? title = null)
    {
        var node = Node();
        node["slug"] = slug;
        node["publishedAt"] = publishedAt.ToString("O");
        if (title is not null)
        {
            node["title"] = title;
        }

        return node;
    }

    public static StringContent Content(JsonNode node) => new(node.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public static StringContent Content(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
