using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Newsletter.Digests;
using Newsletter.Mail;
using Newsletter.Tests.Digests;
using Org.BouncyCastle.Crypto;
using DkimSigner = Newsletter.Mail.DkimSigner;

namespace Newsletter.Tests.Mail;

/// <summary>
/// Our own DKIM signer (body hash from the pre-encoded lines, header hash from the bytes
/// MimeKit writes) makes signatures MimeKit's verifier accepts, and header values from outside are
/// still encoded by MimeKit on the way.
/// </summary>
public sealed class DkimSignerTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-dkim-signer-").FullName;

    [Fact]
    public async Task ASignedDigestVerifiesAndItsHeadersFromOutsideStayEncoded()
    {
        var factory = new MailFactory(Options.Create(DigestSamples.Options), Signer());
        var prepared = DigestSamples.Renderer().Prepare(DigestSamples.Content(DigestSamples.Comparison(), DigestSamples.Comparison()));
        const string name = "Zoë «Z»\r\nBcc: name@evil.example";
        var rendered = prepared.RenderFor(new DigestReader("zoe@example.com", name, "tok/zoe+1"));
        var message = factory.Build(new OutgoingMail(new MailboxAddress(name, "zoe@example.com"), "Verdicts: «Ünïcode» 🚀\r\nBcc: subject@evil.example", rendered.Html, rendered.Text)
        {
            MessageIdKey = "issue-1.subscriber-1",
            Unsubscribe = new UnsubscribeLinks("https://verdicts.example.com/unsubscribe?token=t", "mailto:unsubscribe@verdicts.example.com?subject=t"),
        });
        var wire = Wire(message);

        // The header block is 7-bit: the non-ASCII name and subject went out as encoded words.
        var headerBlock = wire.AsSpan(0, wire.AsSpan().IndexOf("\r\n\r\n"u8));
        Assert.True(Ascii.IsValid(headerBlock), "a raw non-ASCII byte in the headers");
        Assert.Contains("=?utf-8?", Encoding.ASCII.GetString(headerBlock), StringComparison.OrdinalIgnoreCase);

        var received = MimeMessage.Load(new MemoryStream(wire));
        Assert.DoesNotContain(received.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("Verdicts: «Ünïcode» 🚀", received.Subject, StringComparison.Ordinal);
        Assert.EndsWith("Bcc: subject@evil.example", received.Subject, StringComparison.Ordinal);
        var to = Assert.Single(received.To.Mailboxes);
        Assert.Equal("zoe@example.com", to.Address);
        Assert.StartsWith("Zoë «Z»", to.Name, StringComparison.Ordinal);
        Assert.Contains("Zo=C3=AB", Encoding.ASCII.GetString(wire), StringComparison.Ordinal);
        Assert.Contains("Hi Zoë", received.TextBody, StringComparison.Ordinal);
        Assert.Contains("verdicts.example.com", received.HtmlBody, StringComparison.Ordinal);

        var signature = received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.Contains("c=relaxed/relaxed", signature.Value, StringComparison.Ordinal);
        Assert.Contains("content-type", signature.Value, StringComparison.Ordinal);
        Assert.True(await Verifier().VerifyAsync(received, signature), "the DKIM signature does not verify");

        // The check can fail: one changed byte in the body no longer verifies.
        var at = Array.LastIndexOf(wire, (byte)'H');
        wire[at] = (byte)'J';
        var changed = MimeMessage.Load(new MemoryStream(wire));
        Assert.False(await Verifier().VerifyAsync(changed, changed.Headers[changed.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    [Fact]
    public async Task AnyOtherMessageSignedVerifiesToo()
    {
        // Blanks at line ends and in runs, empty lines at the end: what relaxed canonicalisation changes.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Ann", "ann@verdicts.example.com"));
        message.To.Add(new MailboxAddress("Bob", "bob@example.com"));
        message.Subject = "plain";
        message.Body = new TextPart("plain") { Text = "a  b\t c \nend\n\n\n" };
        Signer().Sign(message);

        var received = MimeMessage.Load(new MemoryStream(Wire(message)));
        Assert.True(await Verifier().VerifyAsync(received, received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    [Fact]
    public void ATemplatedBodysRelaxedFormMadeInPiecesIsTheWholeBodysRelaxedForm()
    {
        const string alphabet = "ab  =\t\r\n.é🚀<>";
        var random = new Random(6376);
        for (var n = 0; n < 300; n++)
        {
            var slots = random.Next(0, 5);
            var literals = Enumerable.Range(0, slots + 1).Select(_ => RandomText(random, alphabet, random.Next(0, 200))).ToArray();
            var template = new BodyTemplate(literals, [.. Enumerable.Range(0, slots).Select(_ => random.Next(0, 2))]);
            var chunks = template.With([RandomText(random, alphabet, random.Next(0, 60)), RandomText(random, alphabet, random.Next(0, 8))]).Encode();

            var wire = chunks.SelectMany(c => c.Wire).ToArray();
            Assert.Equal(DkimRelaxed.Body(wire), chunks.SelectMany(c => c.CanonicalBytes).ToArray());
        }
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private DkimSigner Signer()
    {
        var keyFile = Path.Combine(_folder, "dkim.pem");
        File.WriteAllText(keyFile, _key.ExportRSAPrivateKeyPem());
        return new DkimSigner(
            Options.Create(new DkimOptions { Domain = "verdicts.example.com", Selector = "news", PrivateKeyPath = keyFile }),
            new HostingEnvironment { ContentRootPath = _folder });
    }

    private DkimVerifier Verifier() => new(new TestKeyLocator(Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo())));

    /// <summary>The mail as SMTP writes it: CRLF, no SMTPUTF8.</summary>
    private static byte[] Wire(MimeMessage message)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, bytes);
        return bytes.ToArray();
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

    /// <summary>Answers the DNS lookup of news._domainkey.verdicts.example.com with the test key.</summary>
    private sealed class TestKeyLocator(string publicKey) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey($"v=DKIM1; k=rsa; p={publicKey}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
