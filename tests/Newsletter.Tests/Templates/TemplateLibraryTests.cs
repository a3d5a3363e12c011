using Newsletter.Templates;

namespace Newsletter.Tests.Templates;

public sealed class TemplateLibraryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-templates-").FullName;

    private TemplateLibrary Library(params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(_folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        return new TemplateLibrary(_folder);
    }

    [Fact]
    public void HtmlTemplatesEscapeEveryValueByDefault()
    {
        var library = Library(("page.html", "<p>{{ name }}</p>"));

        Assert.Equal("<p>&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;</p>", library.Render("page.html", new { Name = "<b>Ann & \"Bo\"</b>" }));
    }

    [Fact]
    public void HtmlEscapingLeavesUnicodeAsWritten()
    {
        var library = Library(("page.html", "{{ name }}"));

        Assert.Equal("Zoë 🚀 日本 &amp; co", library.Render("page.html", new { Name = "Zoë 🚀 日本 & co" }));
    }

    [Fact]
    public void TextTemplatesKeepValuesVerbatim()
    {
        var library = Library(("mail.txt", "Hi {{ name }}"));

        Assert.Equal("Hi <b>Ann & Bo</b>", library.Render("mail.txt", new { Name = "<b>Ann & Bo</b>" }));
    }

    [Fact]
    public void PartialsAreInsertedOnceEscaped()
    {
        var library = Library(("page.html", "<div>{{ include 'partials/item.html' }}</div>"), ("partials/item.html", "<i>{{ name }}</i>"));

        Assert.Equal("<div><i>&lt;x&gt;</i></div>", library.Render("page.html", new { Name = "<x>" }));
    }

    [Fact]
    public void RawHtmlPassesThrough()
    {
        var library = Library(("page.html", "{{ body }}"));

        Assert.Equal("<b>ours</b>", library.Render("page.html", new { Body = new RawHtml("<b>ours</b>") }));
    }

    [Fact]
    public void SyntaxErrorNamesFileLineAndColumn()
    {
        var error = Assert.Throws<TemplateException>(() => Library(("ok.txt", "fine"), ("broken.html", "<p>\n  {{ if }}\n</p>")));

        Assert.Contains("broken.html(2,", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
