using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Mail;
using Newsletter.Tests.Digests;

namespace Newsletter.Tests.Mail;

/// <summary>
/// A digest body is encoded once per issue with only the reader's lines encoded per mail: what goes
/// on the wire must be exactly what encoding the reader's whole text gives, byte for byte.
/// </summary>
public sealed class BodyTemplateTests
{
    [Fact]
    public void ATemplatedBodyEncodesToTheSameBytesAsItsWholeText()
    {
        // Lines longer than 76, blanks at line ends and beside slots, CRLF split around a slot,
        // non-ASCII, several slots on one line, slots at the start and the end, empty values.
        const string alphabet = "ab =\t\r\n.é€🚀<>\"";
        var random = new Random(14);
        for (var n = 0; n < 400; n++)
        {
            var slots = random.Next(0, 6);
            var literals = Enumerable.Range(0, slots + 1).Select(_ => RandomText(random, alphabet, random.Next(0, 200))).ToArray();
            var template = new BodyTemplate(literals, [.. Enumerable.Range(0, slots).Select(_ => random.Next(0, 3))]);
            string[] values = [RandomText(random, alphabet, random.Next(0, 90)), RandomText(random, alphabet, random.Next(0, 10)), ""];

            var body = template.With(values);
            Assert.Equal(Encoding.ASCII.GetString(QuotedPrintable.Encode(body.ToString(), crlf: true)), Encoded(body));
        }
    }

    [Fact]
    public void ADigestMailIsTheSameMailItWasBeforeTheTemplate()
    {
        var prepared = DigestSamples.Renderer().Prepare(DigestSamples.Content(DigestSamples.Comparison(), DigestSamples.Comparison()));
        var rendered = prepared.RenderFor(new DigestReader("zoe@example.com", "Zoë «Z» Tester", "tok/zoe+1"));
        var factory = new MailFactory(Options.Create(DigestSamples.Options));
        var to = new MailboxAddress("Zoë «Z» Tester", "zoe@example.com");
        var links = new UnsubscribeLinks("https://verdicts.example.com/unsubscribe?token=t", "mailto:unsubscribe@verdicts.example.com?subject=t");

        var templated = Wire(factory.Build(new OutgoingMail(to, prepared.Subject, rendered.Html, rendered.Text) { MessageIdKey = "issue-1.subscriber-1", Unsubscribe = links }));
        var whole = Wire(factory.Build(new OutgoingMail(to, prepared.Subject, rendered.Html.ToString(), rendered.Text.ToString()) { MessageIdKey = "issue-1.subscriber-1", Unsubscribe = links }));

        // Same headers (the Date may tick between the two builds), same parts byte for byte.
        Assert.NotEmpty(Headers(whole));
        Assert.Equal(Headers(whole), Headers(templated));
        Assert.Equal(
            whole.BodyParts.OfType<TextPart>().Select(Encoded),
            templated.BodyParts.OfType<TextPart>().Select(Encoded));
        Assert.Equal(whole.TextBody, templated.TextBody);
        Assert.Equal(whole.HtmlBody, templated.HtmlBody);
        Assert.Contains("Hi Zoë «Z» Tester,", templated.TextBody, StringComparison.Ordinal);
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var at = random.Next(alphabet.Length);
            builder.Append(char.IsHighSurrogate(alphabet[at]) ? alphabet.Substring(at, 2) : char.IsLowSurrogate(alphabet[at]) ? "x" : alphabet[at].ToString());
        }

        return builder.ToString();
    }

    private static string Encoded(MailBody body) => string.Concat(body.Encode().Select(chunk => Encoding.ASCII.GetString(chunk.Wire)));

    private static string Encoded(TextPart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.WriteTo(bytes);
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private static MimeMessage Wire(MimeMessage message)
    {
        var bytes = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, bytes);
        bytes.Position = 0;
        return MimeMessage.Load(bytes);
    }

    /// <summary>The headers but the Date; the multipart boundary is random per mail, so only the type counts.</summary>
    private static List<string> Headers(MimeMessage message) =>
        [.. message.Headers.Where(h => h.Id != HeaderId.Date)
            .Select(h => h.Id == HeaderId.ContentType ? "Content-Type: " + message.Body!.ContentType.MimeType : h.ToString())];
}
