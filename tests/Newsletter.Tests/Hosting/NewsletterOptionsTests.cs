using Newsletter.Hosting;

namespace Newsletter.Tests.Hosting;

public sealed class NewsletterOptionsTests
{
    [Fact]
    public void ListIdQuotesANameWithSpecials()
    {
        var options = new NewsletterOptions { Name = "Verdicts <beta>, \"weekly\": AI", PublicBaseUrl = "https://verdicts.example.com" };

        Assert.EndsWith(" <digest.verdicts.example.com>", options.ListId, StringComparison.Ordinal);
        Assert.Equal("Verdicts <beta>, \"weekly\": AI", PhraseAsAMailParserReadsIt(options.ListId));
    }

    [Fact]
    public void ListIdEncodesANameThatIsNotAscii()
    {
        var options = new NewsletterOptions { Name = "Verdicts für KI 🚀", PublicBaseUrl = "https://verdicts.example.com" };

        Assert.True(options.ListId.All(char.IsAscii), options.ListId);
        Assert.Equal("Verdicts für KI 🚀", PhraseAsAMailParserReadsIt(options.ListId));
    }

    /// <summary>The phrase before the list's id, read by MimeKit's address parser (same grammar).</summary>
    private static string PhraseAsAMailParserReadsIt(string listId)
    {
        var phrase = listId[..listId.LastIndexOf(" <", StringComparison.Ordinal)];
        return MimeKit.MailboxAddress.Parse(phrase + " <digest@verdicts.example.com>").Name ?? "";
    }
}
