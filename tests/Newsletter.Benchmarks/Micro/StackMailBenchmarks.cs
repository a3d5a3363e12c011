using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// MimeKit alone building the sample digest mail from its rendered parts and DKIM-signing it
/// (RSA-2048, relaxed/relaxed) with its DkimSigner as it comes (BouncyCastle's RSA): the reference
/// for the product's own build and sign, which hashes and signs itself (Mail/DkimSigner.cs, RSA by OpenSSL).
/// </summary>
public class StackMailBenchmarks : IDisposable
{
    private static readonly HeaderId[] SignedHeaders =
        [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost];

    private string _html = "";
    private string _text = "";
    private DkimSigner _signer = null!;
    private RSA _rsa = null!;

    /// <summary>Set by the runner before BenchmarkDotNet runs in this process.</summary>
    internal static string SamplePath { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var sample = MimeMessage.Load(SamplePath);
        _html = sample.HtmlBody ?? throw new InvalidOperationException("the sample has no HTML part");
        _text = sample.TextBody ?? throw new InvalidOperationException("the sample has no text part");
        _rsa = RSA.Create(2048);
        var pem = Encoding.ASCII.GetBytes(_rsa.ExportRSAPrivateKeyPem());
        using (var key = new MemoryStream(pem))
        {
            _signer = Relaxed(new DkimSigner(key, "bench.example", "bench"));
        }

        // A signature is only worth timing if it verifies: check it once, as a receiver would.
        var message = BuildAndSign();
        var verifier = new DkimVerifier(new FixedKeyLocator(PublicKey(_rsa)));
        if (!verifier.Verify(message, message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)]))
        {
            throw new InvalidOperationException("a DKIM signature made in the benchmark does not verify");
        }
    }

    [Benchmark]
    public MimeMessage Build() => Message();

    [Benchmark]
    public MimeMessage BuildAndSign()
    {
        var message = Message();
        _signer.Sign(message, SignedHeaders);
        return message;
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static DkimSigner Relaxed(DkimSigner signer)
    {
        signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        return signer;
    }

    private static RsaKeyParameters PublicKey(RSA rsa)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new RsaKeyParameters(false, new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent));
    }

    private MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("AI Tool Verdicts", "digest@bench.example"));
        message.To.Add(new MailboxAddress("Reader 1", "reader@bench.example"));
        message.Subject = "AI Tool Verdicts #42: Mistral 4B Edge vs Modal GPU Serverless Inference and 2 more";
        message.MessageId = "issue-42.reader-1@bench.example";
        message.Headers.Add(HeaderId.ListUnsubscribe, "<https://verdicts.example.com/unsubscribe?token=abc>");
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");
        message.Body = new MultipartAlternative { Part(_text, "plain"), Part(_html, "html") };

        // Encodings are fixed before signing, so that nothing re-encodes the body after the signature.
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private static TextPart Part(string content, string subtype)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, content);
        return part;
    }
}
