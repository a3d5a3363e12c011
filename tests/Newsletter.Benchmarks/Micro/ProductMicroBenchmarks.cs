using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Benchmarks.Infrastructure;
using Newsletter.Comparisons;
using Newsletter.Delivery;
using Newsletter.Mail;
using Newsletter.Digests;
using Newsletter.Hosting;
using Newsletter.Subscribers;
using Newsletter.Templates;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// The product's own hot paths, one call each, with the product's classes: the digest prepared once
/// from the sample comparisons (what every reader shares), then one reader's HTML and text, and one
/// reader's MimeMessage built by MailFactory and DKIM-signed by the product's signer.
/// The method names are what the table and the goals look for (see MicroBenchmarks).
/// </summary>
public class ProductMicroBenchmarks : IDisposable
{
    public const string NotWired = "not wired";

    public static bool IsWired => true;

    private PreparedDigest _digest = null!;
    private MailFactory _mails = null!;
    private RenderedMail _rendered = null!;
    private NewsletterOptions _options = null!;
    private string _keyFolder = "";
    private int _reader;

    [GlobalSetup]
    public void Setup() => Setup(sign: true);

    /// <summary>The digest, the factory (signing or not) and one reader's rendered mail.</summary>
    public void Setup(bool sign)
    {
        _options = new NewsletterOptions { PublicBaseUrl = "https://verdicts.example.com", From = SampleMessage.ProductFrom };
        var templates = new TemplateLibrary(Path.Combine(BenchPaths.RepoRoot, "templates"));
        var renderer = new DigestRenderer(templates, Options.Create(_options), new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>());
        var comparisons = Enumerable.Range(0, 3).Select(_ => SampleComparison()).ToList();
        _digest = renderer.Prepare(new DigestContent(1, "AI Tool Verdicts #1", DateTimeOffset.UtcNow, comparisons));

        _keyFolder = Directory.CreateTempSubdirectory("newsletter-bench-dkim-").FullName;
        using var rsa = RSA.Create(2048);
        var keyFile = Path.Combine(_keyFolder, "dkim.pem");
        File.WriteAllText(keyFile, rsa.ExportRSAPrivateKeyPem());
        var dkim = new DkimOptions { Domain = "bench.example", Selector = "bench", PrivateKeyPath = keyFile };
        var environment = new BenchEnvironment(BenchPaths.RepoRoot);
        _mails = sign
            ? new MailFactory(Options.Create(_options), new DkimSigner(Options.Create(dkim), environment))
            : new MailFactory(Options.Create(_options));
        _rendered = _digest.RenderFor(Reader(0));
    }

    /// <summary>One reader's digest, HTML and text, from an issue prepared once.</summary>
    [Benchmark]
    public object RenderPersonalDigest() => _digest.RenderFor(Reader(++_reader));

    /// <summary>One reader's MimeMessage built from the rendered parts and DKIM-signed.</summary>
    [Benchmark]
    public object BuildAndSignMail() => BuildMailFromRendered();

    private MimeMessage BuildMailFromRendered()
    {
        var reader = Reader(++_reader);
        return _mails.Build(new OutgoingMail(new MailboxAddress(reader.Name, reader.Email), _digest.Subject, _rendered.Html, _rendered.Text)
        {
            MessageIdKey = $"issue-1.{_reader}",
            Unsubscribe = new UnsubscribeLinks(_options.Unsubscribe(reader.UnsubscribeToken), _options.UnsubscribeMailto(reader.UnsubscribeToken)),
        });
    }

    /// <summary>One reader's whole mail as the send path makes it: their render, then MailFactory.</summary>
    public MimeMessage BuildMail()
    {
        var reader = Reader(++_reader);
        var rendered = _digest.RenderFor(reader);
        return _mails.Build(new OutgoingMail(new MailboxAddress(reader.Name, reader.Email), _digest.Subject, rendered.Html, rendered.Text)
        {
            MessageIdKey = $"issue-1.{_reader}",
            Unsubscribe = new UnsubscribeLinks(_options.Unsubscribe(reader.UnsubscribeToken), _options.UnsubscribeMailto(reader.UnsubscribeToken)),
        });
    }

    public void Dispose()
    {
        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private static DigestReader Reader(int i) =>
        new($"reader{i.ToString(CultureInfo.InvariantCulture)}@example.com", $"Reader {i}", $"token-{i}-abcdefghijklmnopqrstuvwxyz0123456789");

    private static Comparison SampleComparison()
    {
        var file = Directory.EnumerateFiles(BenchPaths.Comparisons, "*.json").First();
        var doc = JsonSerializer.Deserialize<ComparisonDocument>(File.ReadAllText(file), ComparisonDocument.JsonOptions)!;
        var comparison = new Comparison { Slug = "", Title = "", Url = "" };
        doc.CopyTo(comparison);
        return comparison;
    }

    private sealed class BenchEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Benchmark";
        public string ApplicationName { get; set; } = "Newsletter";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
