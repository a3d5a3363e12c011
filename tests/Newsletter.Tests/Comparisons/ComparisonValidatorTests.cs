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

    [Fact]
    public void EveryFieldHasALimitAndEachFieldOverItIsNamed()
    {
        var sample = Sample();
        string Long(int length) => new('x', length + 1);
        var tool = sample.Tools![0]! with
        {
            Name = Long(ComparisonValidator.MaxNameLength),
            Category = Long(ComparisonValidator.MaxShortTextLength),
            Tagline = Long(ComparisonValidator.MaxShortTextLength),
            Entry = Long(ComparisonValidator.MaxShortTextLength),
            Description = Long(ComparisonValidator.MaxTextLength),
        };
        var review = sample.Reviews![0]! with { Lens = Long(ComparisonValidator.MaxShortTextLength), Quote = Long(ComparisonValidator.MaxTextLength) };
        var doc = sample with
        {
            Question = Long(ComparisonValidator.MaxParagraphLength),
            Summary = Long(ComparisonValidator.MaxParagraphLength),
            Url = "https://example.com/" + Long(ComparisonValidator.MaxUrlLength),
            Tools = [tool, .. sample.Tools.Skip(1)],
            Reviews = [review, .. Enumerable.Repeat(sample.Reviews[0], ComparisonValidator.MaxReviews)],
        };

        var errors = ComparisonValidator.Validate(doc);

        string[] expected =
        [
            "question", "reviews", "reviews[0].lens", "reviews[0].quote", "summary", "tools[0].category", "tools[0].description",
            "tools[0].entry", "tools[0].name", "tools[0].tagline", "url",
        ];
        Assert.Equal(
            expected,
            errors.Keys.Where(k => !k.EndsWith(".tool", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(errors.Where(e => e.Key != "reviews" && !e.Key.EndsWith(".tool", StringComparison.Ordinal)),
            e => Assert.StartsWith("must be at most", e.Value[0], StringComparison.Ordinal));
    }

    [Fact]
    public void ARealComparisonIsFarUnderEveryLimit() =>
        Assert.Empty(ComparisonValidator.Validate(Sample() with { Reviews = [.. Enumerable.Repeat(Sample().Reviews![0], ComparisonValidator.MaxReviews)] }));
}
