using System.Security.Cryptography;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.SendingSetup;

/// <summary>The start's warnings when the From, DKIM and Return-Path domains do not align (DMARC relaxed).</summary>
public sealed class AlignmentAtStartTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("newsletter-align-").FullName, "dkim.pem");

    public AlignmentAtStartTests()
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(_keyFile, rsa.ExportRSAPrivateKeyPem());
    }

    private static string[] Warnings(NewsletterApp app)
    {
        _ = app.Services; // starts the host
        return [.. app.Logs.Entries.Where(e => e.EventId.Name == "SendingNotAligned").Select(e => e.Message)];
    }

    [Fact]
    public void ADkimDomainOfAnotherOrganisationIsOneWarningWhileASubdomainReturnPathAligns()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Newsletter:From"] = "Verdicts <digest@news.verdicts.co.uk>",
            ["Dkim:Domain"] = "mailer.co.uk",
            ["Dkim:Selector"] = "s1",
            ["Dkim:PrivateKeyPath"] = _keyFile,
            ["Bounces:ReturnPath"] = "bounces@b.verdicts.co.uk",
        });

        var warning = Assert.Single(Warnings(app));
        Assert.StartsWith("Sending setup: DKIM domain mailer.co.uk (Dkim:Domain) is not aligned with the From domain news.verdicts.co.uk", warning, StringComparison.Ordinal);
        Assert.Contains("organisational domains mailer.co.uk and verdicts.co.uk differ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void DkimOffAndAReturnPathElsewhereAreTwoWarnings()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Newsletter:From"] = "Verdicts <digest@verdicts.example.com>",
            ["Bounces:ReturnPath"] = "bounces@verdicts-mail.example.net",
        });

        var warnings = Warnings(app);
        Assert.Equal(2, warnings.Length);
        Assert.Contains(warnings, w => w.StartsWith("Sending setup: DKIM is off", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Sending setup: Return-Path domain verdicts-mail.example.net (Bounces:ReturnPath) is not aligned", StringComparison.Ordinal));
    }

    [Fact]
    public void BehindAProviderThatRewritesTheEnvelopeSenderOnlyDkimCounts()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["SendingSetup:Relay"] = "AmazonSes",
            ["Newsletter:From"] = "Verdicts <digest@verdicts.example.com>",
            ["Dkim:Domain"] = "verdicts.example.com",
            ["Dkim:Selector"] = "s1",
            ["Dkim:PrivateKeyPath"] = _keyFile,
            ["Bounces:ReturnPath"] = "bounces@verdicts-mail.example.net",
        });

        Assert.Empty(Warnings(app));
    }

    [Fact]
    public void WithoutSmtpHostNothingIsSaid()
    {
        using var app = new NewsletterApp(new Dictionary<string, string?> { ["Bounces:ReturnPath"] = "bounces@elsewhere.example.net" });

        Assert.Empty(Warnings(app));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_keyFile)!, recursive: true);
}
