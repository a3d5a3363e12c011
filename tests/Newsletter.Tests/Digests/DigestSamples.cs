using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newsletter.Comparisons;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Templates;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Digests;

/// <summary>Comparisons and a renderer for rendering tests that need no running app.</summary>
internal static class DigestSamples
{
    public static NewsletterOptions Options { get; } = new()
    {
        Name = "AI Tool Verdicts",
        PublicBaseUrl = "https://verdicts.example.com",
        From = "AI Tool Verdicts <digest@verdicts.example.com>",
    };

    public static Comparison Comparison() =>
        JsonSerializer.Deserialize<Comparison>(SampleComparisons.Json, SampleComparisons.Web)!;

    public static DigestRenderer Renderer(string? templateFolder = null) => new(
        new TemplateLibrary(templateFolder ?? Path.Combine(NewsletterApp.RepositoryRoot, "templates")),
        Microsoft.Extensions.Options.Options.Create(Options),
        new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());

    public static DigestContent Content(params Comparison[] comparisons) =>
        new(3, "AI Tool Verdicts #3: " + (comparisons.Length > 0 ? comparisons[0].Title : ""), DateTimeOffset.Parse("2026-11-23T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), comparisons);
}
