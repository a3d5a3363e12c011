using Newsletter.Comparisons;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Comparisons;

public sealed class ComparisonValidatorTests
{
    private static ComparisonDocument Sample() =>
        System.Text.Json.JsonSerializer.Deserialize<ComparisonDocument>(SampleComparisons.Json, ComparisonDocument.JsonOptions)!;

    [Fact]
    public void TheRealSampleIsValid() => Assert.Empty(ComparisonValidator.Validate(Sample()));

    [Theory]
    [InlineData("2026-11-19T15:00:00Z")]
    [InlineData("2026-11-19T15:00:00+01:00")]
    [InlineData("2026-11-19T15:00:00.123-05:30")]
    public void PublishedAtWithAnOffsetIsAccepted(string value) =>
        Assert.Empty(ComparisonValidator.Validate(Sample() with { PublishedAt = value }));

    [Theory]
    [InlineData("2026-11-19T15:00:00")]
    [InlineData("2026-11-19")]
    [InlineData("next tuesday")]
    [InlineData("2026-13-40T15:00:00Z")]
    public void PublishedAtWithoutAnOffsetIsRefused(string value) =>
        Assert.Contains("publishedAt", ComparisonValidator.Validate(Sample() with { PublishedAt = value }).Keys);

    [Theory]
    [InlineData("UPPER")]
    [InlineData("with space")]
    [InlineData("")]
    [InlineData("ünicode")]
    public void SlugOutsideItsAlphabetIsRefused(string slug) =>
        Assert.Contains("slug", ComparisonValidator.Validate(Sample() with { Slug = slug }).Keys);

    [Fact]
    public void SlugOf201CharactersIsRefused() =>
        Assert.Contains("slug", ComparisonValidator.Validate(Sample() with { Slug = new string('a', 201) }).Keys);

    [Fact]
    public void TitleOver300CharactersIsRefused() =>
        Assert.Contains("title", ComparisonValidator.Validate(Sample() with { Title = new string('t', 301) }).Keys);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void ToolsMustNumberTwoToFour(int count)
    {
        var tools = Enumerable.Range(0, count).Select(i => (ToolDocument?)new ToolDocument { Name = $"Tool {i}" }).ToList();
        var errors = ComparisonValidator.Validate(Sample() with { Tools = tools, Reviews = [] });
        Assert.Contains("tools", errors.Keys);
    }

    [Fact]
    public void NullPercentagesAreAllowed()
    {
        var doc = Sample();
        var tools = doc.Tools!.Select(t => t! with { PanelShipPercent = null, CommunityShipPercent = null }).Cast<ToolDocument?>().ToList();
        Assert.Empty(ComparisonValidator.Validate(doc with { Tools = tools }));
    }

    [Fact]
    public void MarkupAndUnicodeInTextAreData()
    {
        var doc = Sample() with { Title = "<script>alert('x')</script> “Ünïcødé” 🚀\r\nBcc: evil@example.com" };
        Assert.Empty(ComparisonValidator.Validate(doc));
    }
}
