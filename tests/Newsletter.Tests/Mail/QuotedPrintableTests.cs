using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Encodings;
using Newsletter.Mail;

namespace Newsletter.Tests.Mail;

/// <summary>
/// Mail bodies are quoted-printable encoded by our own encoder (MimeKit's was the send's largest
/// cost): whatever the text, the result must be valid 7-bit QP that decodes to exactly that text.
/// </summary>
public sealed class QuotedPrintableTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "plain ascii",
        "ends with a line break\n",
        "a = b, 100% sure?\tyes",
        "trailing space \nand tab\t\nand CRLF \r\nlone\rCR\r",
        "Größe, «quotes», émojis 🚀, 日本語 — and a ’curly’ apostrophe",
        new string('x', 75) + "\n" + new string('y', 76) + "\n" + new string('z', 300),
        new string('é', 200) + " " + new string('=', 100),
        new string(' ', 74) + "\n" + new string(' ', 75) + "\n" + new string('\t', 76) + "\n" + new string(' ', 200),
        string.Concat(Enumerable.Repeat("<td style=\"padding:8px\">Panel ship: 85% · Community — “n/a”</td>\n", 40)),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void EncodedTextIsValidSevenBitQuotedPrintableThatDecodesToTheText(string text) => AssertRoundTrip(text);

    [Fact]
    public void RandomTextsRoundTrip()
    {
        const string alphabet = "ab =\t\r\n.é€🚀<>\"";
        var random = new Random(6);
        for (var n = 0; n < 500; n++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 400);
            while (builder.Length < length)
            {
                // Whole runs of one character: long lines, runs of blanks and escapes at line ends.
                var c = alphabet[random.Next(alphabet.Length)];
                if (char.IsHighSurrogate(c))
                {
                    builder.Append("🚀");
                    continue;
                }

                builder.Append(char.IsLowSurrogate(c) ? 'x' : c, random.Next(1, 90));
            }

            AssertRoundTrip(builder.ToString());
        }
    }

    [Fact]
    public void ABuiltMailCarriesBothBodiesAsUtf8QuotedPrintable()
    {
        var factory = new MailFactory(Options.Create(new Newsletter.Hosting.NewsletterOptions { From = "Verdicts <digest@verdicts.example.com>" }));
        const string html = "<p>Hi Zoë, this week’s verdicts = 3 </p>\n<p>" + "long line · " + "</p>\n";
        var text = "Hi Zoë,\nthis week’s verdicts = 3 \n" + new string('-', 120) + "\n";
        var message = factory.Build(new OutgoingMail(new MailboxAddress("Zoë", "zoe@example.com"), "Subject", html, text));

        using var wire = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, wire);
        Assert.All(wire.ToArray(), b => Assert.True(b < 128, "8-bit byte on the wire"));

        wire.Position = 0;
        var received = MimeMessage.Load(wire);
        var parts = received.BodyParts.OfType<TextPart>().ToList();
        Assert.Equal(["text/plain", "text/html"], parts.Select(p => p.ContentType.MimeType));
        Assert.All(parts, p => Assert.Equal((ContentEncoding.QuotedPrintable, "utf-8"), (p.ContentTransferEncoding, p.ContentType.Charset)));
        Assert.Equal(text, received.TextBody!.ReplaceLineEndings("\n"));
        Assert.Equal(html, received.HtmlBody!.ReplaceLineEndings("\n"));
    }

    private static void AssertRoundTrip(string text)
    {
        var encoded = QuotedPrintable.Encode(text);
        Assert.All(encoded, b => Assert.True(b < 128 && (b >= 32 || b is (byte)'\n' or (byte)'\t'), $"byte {b} in the encoded text"));
        foreach (var line in Encoding.ASCII.GetString(encoded).Split('\n'))
        {
            Assert.True(line.Length <= 76, $"line of {line.Length} characters: {line}");
            Assert.False(line.EndsWith(' ') || line.EndsWith('\t'), $"line ends with a blank: [{line}]");
        }

        var decoder = new QuotedPrintableDecoder();
        var decoded = new byte[decoder.EstimateOutputLength(encoded.Length)];
        var count = decoder.Decode(encoded, 0, encoded.Length, decoded);

        // A hard line break is a line break whichever way it was written (CRLF on the wire).
        Assert.Equal(text.Replace("\r\n", "\n", StringComparison.Ordinal), Encoding.UTF8.GetString(decoded, 0, count));
    }
}
