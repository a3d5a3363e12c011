using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Mail;

namespace Newsletter.Tests.Inbound;

/// <summary>The sample mails of Inbound/Samples and the VERP setup their tokens were made with (make-samples.py).</summary>
public static class InboundSamples
{
    public const string ReturnPath = "bounces@verdicts.example.com";

    /// <summary>The key the samples' tokens were signed with: bytes 1..32.</summary>
    public static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>Issue 5 of the samples; each sample names its own reader id.</summary>
    public const int Issue = 5;

    public static Verp Verp(string? returnPath = ReturnPath) =>
        new(Options.Create(new BouncesOptions { ReturnPath = returnPath }), () => Key);

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Inbound", "Samples", name);

    public static MimeMessage Load(string name) => MimeMessage.Load(PathOf(name));

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Inbound", "Samples"), "*.eml").Select(Path.GetFileName).Order()!;
}
