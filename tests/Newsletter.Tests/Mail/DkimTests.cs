using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Newsletter.Tests.Fixtures;
using Org.BouncyCastle.Crypto;
using static Newsletter.Tests.Delivery.DeliveryTestData;

namespace Newsletter.Tests.Mail;

/// <summary>With Dkim:* set every digest mail is signed, and the signature verifies after the trip through SMTP.</summary>
public sealed class DkimTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyFolder = Directory.CreateTempSubdirectory("newsletter-dkim-").FullName;

    [Fact]
    public async Task EveryDigestMailCarriesASignatureThatVerifiesWithThePublishedKey()
    {
        await using var sink = await SmtpSink.StartAsync();
        var keyFile = Path.Combine(_keyFolder, "dkim.pem");
        await File.WriteAllTextAsync(keyFile, _key.ExportRSAPrivateKeyPem());
        var settings = SmtpSettings(sink.Port);
        settings["Dkim:Domain"] = "verdicts.example.com";
        settings["Dkim:Selector"] = "news";

        // Relative to the content root (the checkout), not to the test's working directory.
        settings["Dkim:PrivateKeyPath"] = Path.GetRelativePath(NewsletterApp.RepositoryRoot, keyFile);
        using var app = new NewsletterApp(settings);
        var admin = app.CreateAdminClient();
        await AddReadersAsync(app.Folder, 6);
        await PublishAsync(admin, "signed-verdict", "Signed: «quotes», émojis 🚀 and a very long title that the header has to fold over more than one line");

        await admin.PostAsync("/api/digests/send", null);
        var mails = await sink.WaitForMessagesAsync(6);

        var verifier = new DkimVerifier(new TestKeyLocator(Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo())));
        foreach (var mail in mails)
        {
            var index = mail.Message.Headers.IndexOf(HeaderId.DkimSignature);
            Assert.True(index >= 0, "no DKIM-Signature header");
            var signature = mail.Message.Headers[index];
            Assert.Contains("d=verdicts.example.com", signature.Value, StringComparison.Ordinal);
            Assert.Contains("s=news", signature.Value, StringComparison.Ordinal);
            Assert.True(await verifier.VerifyAsync(mail.Message, signature), "the DKIM signature does not verify");

            // The check can fail: a changed subject no longer verifies.
            mail.Message.Subject += " (changed)";
            Assert.False(await verifier.VerifyAsync(mail.Message, signature));
        }
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_keyFolder, recursive: true);
    }

    /// <summary>Answers the DNS lookup of news._domainkey.verdicts.example.com with the test key.</summary>
    private sealed class TestKeyLocator(string publicKey) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            Assert.Equal(("verdicts.example.com", "news"), (domain, selector));
            return GetPublicKey($"v=DKIM1; k=rsa; p={publicKey}");
        }

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
