using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Newsletter.Comparisons;
using Newsletter.Digests;

namespace Newsletter.Tests.Digests;

/// <summary>What a reader sees, checked on the rendered HTML (parsed like a browser) and the text part.</summary>
public sealed partial class DigestRenderingTests
{
    private static readonly DigestRenderer Renderer = DigestSamples.Renderer();
    private static readonly DigestReader Ann = new("ann@example.com", "Ann", "token-ann");

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static Comparison Varied()
    {
        var c = DigestSamples.Comparison();
        c.Tools[0].PanelShipPercent = 37;
        c.Tools[0].CommunityShipPercent = 63;
        c.Tools[1].PanelShipPercent = 0;
        c.Tools[1].CommunityShipPercent = null;
        c.Tools.Add(new ComparisonTool { Name = "Third Tool", PanelShipPercent = 100, Entry = "Freemium" });
        c.Tools.Add(new ComparisonTool { Name = "Fourth Tool", PanelShipPercent = null });
        c.Reviews[2].Verdict = "skip"; // Mistral: 3 ship, 1 skip
        c.Reviews[2].Quote = "The dissent, short and sharp.";
        c.Reviews.Add(new ComparisonReview { Tool = "Third Tool", Lens = "Buyer", Verdict = "ship", Quote = "Fine." });
        return c;
    }

    [Fact]
    public void PanelVerdictIsABarOfCellsAsWideAsThePercent()
    {
        var doc = Parse(Renderer.Prepare(DigestSamples.Content(Varied())).RenderFor(Ann).Html);
        var tools = doc.QuerySelectorAll("td.tool");
        Assert.Equal(4, tools.Length);
        Assert.All(tools, t => Assert.Equal("25%", t.GetAttribute("width")));

        string[] Cells(IElement tool, string cls) => [.. tool.QuerySelectorAll($"table.bar td.{cls}").Select(td => td.GetAttribute("width")!)];

        Assert.Equal(["37%"], Cells(tools[0], "bar-fill"));
        Assert.Equal(["63%"], Cells(tools[0], "bar-rest"));
        Assert.Empty(Cells(tools[1], "bar-fill"));
        Assert.Equal(["100%"], Cells(tools[1], "bar-rest"));
        Assert.Equal(["100%"], Cells(tools[2], "bar-fill"));
        Assert.Empty(Cells(tools[2], "bar-rest"));
        Assert.Empty(tools[3].QuerySelectorAll("table.bar"));

        Assert.Equal(["37% ship", "0% ship", "100% ship", "no panel verdict"], tools.Select(t => t.QuerySelector(".panel")!.TextContent));
    }

    [Fact]
    public void ToolsShowCategoryTaglineEntryCommunityVoteAndReviewerSplit()
    {
        var doc = Parse(Renderer.Prepare(DigestSamples.Content(Varied())).RenderFor(Ann).Html);
        var tools = doc.QuerySelectorAll("td.tool");

        Assert.Equal("Mistral 4B Edge", tools[0].QuerySelector(".tool-name")!.TextContent);
        Assert.Equal("Developer Tools", tools[0].QuerySelector(".category")!.TextContent);
        Assert.Equal("Free", tools[0].QuerySelector(".entry")!.TextContent);
        Assert.Equal("Apache 2.0 on-device LLM that actually fits in your pocket", tools[0].QuerySelector(".tagline")!.TextContent);
        Assert.Equal(["63% ship", "—", "—", "—"], tools.Select(t => t.QuerySelector(".community")!.TextContent));
        Assert.Equal(["3 of 4 lenses ship", "4 of 4 lenses ship", "1 of 1 lens ships", "no reviews"], tools.Select(t => t.QuerySelector(".split")!.TextContent));
        Assert.Null(tools[3].QuerySelector(".category"));
    }

    [Fact]
    public void StandoutQuoteIsTheDissentWhenThePanelIsSplitElseTheFirst()
    {
        var split = Parse(Renderer.Prepare(DigestSamples.Content(Varied())).RenderFor(Ann).Html);
        Assert.Equal("“The dissent, short and sharp.”", split.QuerySelector(".quote-text")!.TextContent);
        Assert.Equal("— Competition on Mistral 4B Edge: skip", split.QuerySelector(".quote-by")!.TextContent);

        var sample = DigestSamples.Comparison();
        var unanimous = Parse(Renderer.Prepare(DigestSamples.Content(sample)).RenderFor(Ann).Html);
        var quote = unanimous.QuerySelector(".quote-text")!.TextContent;
        Assert.StartsWith("“The primitive here is clean: a quantization-friendly", quote, StringComparison.Ordinal);
        Assert.EndsWith("…”", quote, StringComparison.Ordinal);
        Assert.True(quote.Length <= ComparisonViews.QuoteLength + 3);
    }

    [Fact]
    public void EachComparisonLinksToItsFullVerdict()
    {
        var first = DigestSamples.Comparison();
        var second = DigestSamples.Comparison();
        second.Title = "Second";
        second.Url = "https://verdicts.example.com/compare/second?a=1&b=2";
        var doc = Parse(Renderer.Prepare(DigestSamples.Content(first, second)).RenderFor(Ann).Html);

        Assert.Equal([first.Url, second.Url], doc.QuerySelectorAll("a.full-verdict").Select(a => a.GetAttribute("href")));
        Assert.Equal([first.Title, "Second"], doc.QuerySelectorAll("a.title").Select(a => a.TextContent));
    }

    [Fact]
    public void HtmlIsEmailHtml()
    {
        var html = Renderer.Prepare(DigestSamples.Content(DigestSamples.Comparison())).RenderFor(Ann).Html;
        var doc = Parse(html);

        Assert.Equal("light dark", doc.QuerySelector("meta[name=color-scheme]")!.GetAttribute("content"));
        Assert.NotNull(doc.QuerySelector("meta[name=viewport]"));
        var preheader = doc.QuerySelector(".preheader")!;
        Assert.Contains("display:none", preheader.GetAttribute("style"), StringComparison.Ordinal);
        Assert.StartsWith("Which one should you ship with?", preheader.TextContent, StringComparison.Ordinal);
        Assert.Contains("max-width:600px", doc.QuerySelector("table.container")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Empty(doc.QuerySelectorAll("link[rel=stylesheet], script, div.layout"));
        Assert.All(doc.QuerySelectorAll("table"), t => Assert.Equal("presentation", t.GetAttribute("role")));
        Assert.Equal("https://verdicts.example.com/unsubscribe?token=token-ann", doc.QuerySelector("a.unsubscribe")!.GetAttribute("href"));
        Assert.Equal("https://verdicts.example.com/issues/3", doc.QuerySelector("a[href$='/issues/3']")!.GetAttribute("href"));
    }

    [Fact]
    public void TextPartReadsAsPlainText()
    {
        var text = Renderer.Prepare(DigestSamples.Content(Varied(), DigestSamples.Comparison())).RenderFor(Ann).Text.ToString();

        Assert.DoesNotMatch(Tag(), text);
        Assert.DoesNotMatch(Entity(), text);
        Assert.StartsWith("AI Tool Verdicts #3 · 23 November 2026\n", text, StringComparison.Ordinal);
        Assert.Contains("Hi Ann,", text, StringComparison.Ordinal);
        Assert.Contains("  Panel verdict   [#######-------------] 37% ship\n  Community vote  63% ship\n  Reviewers       3 of 4 lenses ship\n", text, StringComparison.Ordinal);
        Assert.Contains("  Panel verdict   [ no panel verdict ] no panel verdict\n  Community vote  —\n", text, StringComparison.Ordinal);
        Assert.Contains("Read the full verdict:\nhttps://verdicts.example.com/compare/mistral-4b-edge-vs-modal-gpu-serverless-inference\n", text, StringComparison.Ordinal);
        Assert.Contains("Unsubscribe: https://verdicts.example.com/unsubscribe?token=token-ann\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", text, StringComparison.Ordinal);

        // Prose is wrapped at 72 columns; only URLs may run longer.
        Assert.All(text.Split('\n').Where(l => !l.Contains("https://", StringComparison.Ordinal)), l => Assert.True(l.Length <= 72, l));
    }

    [Fact]
    public void EmptyDigestSaysSo()
    {
        var mail = Renderer.Prepare(DigestSamples.Content()).RenderFor(Ann);

        Assert.Contains("No new comparisons this week", Parse(mail.Html).Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("No new comparisons this week", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void EachReaderGetsOnlyTheirOwnNameAndLinks()
    {
        var prepared = Renderer.Prepare(DigestSamples.Content(DigestSamples.Comparison()));
        var ann = prepared.RenderFor(new DigestReader("ann@example.com", "Ann", "tok-ann"));
        var bob = prepared.RenderFor(new DigestReader("bob@example.com", null, "tok/bob+1"));

        Assert.Equal("Hi Ann,", Parse(ann.Html).QuerySelector(".greeting")!.TextContent);
        Assert.Equal("Hi there,", Parse(bob.Html).QuerySelector(".greeting")!.TextContent);
        Assert.Equal("https://verdicts.example.com/unsubscribe?token=tok%2Fbob%2B1", Parse(bob.Html).QuerySelector("a.unsubscribe")!.GetAttribute("href"));
        Assert.Contains("token=tok-ann", ann.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-ann", bob.Html + bob.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok%2Fbob", ann.Html + ann.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("DIGEST", ann.Html + ann.Text + bob.Html + bob.Text, StringComparison.Ordinal);

        // Apart from the personal parts, both readers get the same bytes.
        Assert.Equal(ann.Html.ToString().Replace("Ann", "there", StringComparison.Ordinal).Replace("tok-ann", "tok%2Fbob%2B1", StringComparison.Ordinal), bob.Html.ToString());
    }

    [Fact]
    public void PersonalRenderIsThreadSafeAndKeepsReadersApart()
    {
        var prepared = Renderer.Prepare(DigestSamples.Content(DigestSamples.Comparison(), DigestSamples.Comparison()));
        var readers = Enumerable.Range(0, 2000).Select(i => new DigestReader($"r{i}@example.com", $"Reader {i}", $"token-{i}")).ToArray();

        var results = new RenderedMail[readers.Length];
        Parallel.For(0, readers.Length, i => results[i] = prepared.RenderFor(readers[i]));
        for (var i = 0; i < readers.Length; i += 97)
        {
            Assert.Contains($"Hi Reader {i},", results[i].Text, StringComparison.Ordinal);
            Assert.Contains($"token=token-{i}\"", results[i].Html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WebVersionHasNoPersonalLinks()
    {
        var html = Renderer.RenderWeb(DigestSamples.Content(DigestSamples.Comparison()));
        var doc = Parse(html);

        Assert.Contains("You are reading the web version", doc.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(doc.QuerySelector("a.unsubscribe"));
        Assert.Null(doc.QuerySelector(".greeting"));
        Assert.DoesNotContain("token", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DIGEST", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<[a-zA-Z/!][^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);")]
    private static partial Regex Entity();
}
