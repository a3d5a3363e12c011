using AngleSharp.Html.Parser;
using Newsletter.Comparisons;
using Newsletter.Digests;

namespace Newsletter.Tests.Digests;

/// <summary>
/// Content and subscriber data are data: markup shows as text in the HTML part, stays verbatim in the
/// text part, and any Unicode survives. (Headers: see <see cref="DigestPreviewTests"/>, through SMTP.)
/// </summary>
public sealed class DigestEscapingTests
{
    /// <summary>Everything HTML or a mail header treats specially, in one value.</summary>
    public const string Hostile = "<script>alert(\"x\")</script> & 'q' </td></table>\r\nBcc: evil@example.com";

    public const string International = "Grüße 🚀👩‍💻 مرحبا بالعالم 日本語のツール עברית";

    private static Comparison Every(string value)
    {
        var c = DigestSamples.Comparison();
        c.Title = "title " + value;
        c.Question = "question " + value;
        c.Summary = "summary " + value;
        c.Url = "https://verdicts.example.com/compare/x?a=\"><script>&b='1'";
        c.Tools[0] = new ComparisonTool
        {
            Name = "name " + value, Category = "category " + value, Tagline = "tagline " + value, Entry = "entry " + value,
            PanelShipPercent = 50,
        };
        c.Reviews = [new ComparisonReview { Tool = c.Tools[0].Name, Lens = "lens " + value, Verdict = "ship", Quote = "quote " + value }];
        return c;
    }

    [Theory]
    [InlineData(Hostile)]
    [InlineData(International)]
    public void EveryContentFieldShowsAsWrittenInTheHtml(string value)
    {
        var c = Every(value);
        var html = DigestSamples.Renderer().Prepare(DigestSamples.Content(c)).RenderFor(new DigestReader("a@example.com", "reader " + value, "t")).Html;
        var doc = new HtmlParser().ParseDocument(html);

        // HTML parsing itself turns CR LF into LF; everything else must come back as written.
        var shown = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        string Text(string selector) => doc.QuerySelector(selector)!.TextContent;
        Assert.Equal("title " + shown, Text("a.title"));
        Assert.Equal("question " + shown, Text(".question"));
        Assert.Equal("summary " + shown, Text(".summary"));
        Assert.Equal("name " + shown, Text(".tool-name"));
        Assert.Equal("category " + shown, Text(".category"));
        Assert.Equal("entry " + shown, Text(".entry"));
        Assert.Equal("tagline " + shown, Text(".tagline"));
        Assert.Equal("“quote " + shown + "”", Text(".quote-text"));
        Assert.Equal("— lens " + shown + " on name " + shown + ": ship", Text(".quote-by"));
        Assert.Equal("Hi reader " + shown + ",", Text(".greeting"));
        Assert.Equal(c.Url, doc.QuerySelector("a.full-verdict")!.GetAttribute("href"));
        Assert.StartsWith("question " + shown, Text(".preheader"), StringComparison.Ordinal);
        
        // document.title collapses white space, as browsers show it.
        Assert.Equal(string.Join(' ', DigestSamples.Content(c).Subject.Split([' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)), doc.Title);

        Assert.Empty(doc.QuerySelectorAll("script"));
        Assert.Equal(2, doc.QuerySelectorAll("td.tool").Length);
    }

    [Theory]
    [InlineData(Hostile)]
    [InlineData(International)]
    public void EveryContentFieldIsVerbatimInTheText(string value)
    {
        var c = Every(value);
        var text = DigestSamples.Renderer().Prepare(DigestSamples.Content(c)).RenderFor(new DigestReader("a@example.com", "reader " + value, "t")).Text;

        foreach (var field in new[] { "title", "question", "summary", "name", "category", "entry", "tagline", "quote", "lens", "reader" })
        {
            Assert.Contains(field + " " + value, text, StringComparison.Ordinal);
        }

        Assert.Contains(c.Url, text, StringComparison.Ordinal);
        Assert.DoesNotContain("&lt;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("&amp;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortenedQuoteNeverSplitsAnEmoji()
    {
        var quote = string.Concat(Enumerable.Repeat("🚀", 400));
        var shortened = ComparisonViews.Shorten(quote, ComparisonViews.QuoteLength);

        Assert.EndsWith("🚀…", shortened, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(shortened[^2]));
    }
}
