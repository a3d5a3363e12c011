using BenchmarkDotNet.Attributes;

namespace Newsletter.Benchmarks.Micro;

/// <summary>
/// The product's own hot paths, one call each: the file to wire when the renderer and the mail
/// builder land. Until then <see cref="IsWired"/> is false and the run prints "not yet wired".
/// The method names are what the table and the goals look for (see MicroBenchmarks).
/// </summary>
/// <remarks>
/// Wiring, in the likely shape: in Setup build the TemplateLibrary over the checkout's templates/
/// (BenchPaths.RepoRoot), prepare an issue from the sample comparisons (what every reader shares,
/// rendered once per issue) and one subscriber; RenderPersonalDigest renders that reader's HTML and
/// text; BuildAndSignMail builds their MimeMessage with the product's mail builder and a DKIM key
/// made in Setup (RSA.Create(2048).ExportRSAPrivateKeyPem(), as StackMailBenchmarks does).
/// </remarks>
public class ProductMicroBenchmarks
{
    public const string NotWired = "not yet wired: needs the renderer and the mail builder";

    public static bool IsWired => false;

    private int _reader;

    [GlobalSetup]
    public void Setup() => _reader = 1;

    /// <summary>One reader's digest, HTML and text, from an issue prepared once.</summary>
    [Benchmark]
    public object RenderPersonalDigest() => throw new NotSupportedException($"{NotWired} (reader {_reader})");

    /// <summary>One reader's MimeMessage built from the rendered parts and DKIM-signed.</summary>
    [Benchmark]
    public object BuildAndSignMail() => throw new NotSupportedException($"{NotWired} (reader {_reader})");
}
