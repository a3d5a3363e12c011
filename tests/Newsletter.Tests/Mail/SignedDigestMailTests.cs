using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Digests;
using Newsletter.Mail;
using Newsletter.Tests.Digests;

namespace Newsletter.Tests.Mail;

/// <summary>
/// A digest mail built from the template and signed verifies with dkimpy (Debian's python3-dkim, hence /usr/bin/python3), an
/// implementation independent of MimeKit's; the same mail with a changed body byte does not.
/// </summary>
public sealed class SignedDigestMailTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsletter-dkimpy-").FullName;

    [Fact]
    public async Task ASignedDigestMailVerifiesWithDkimpy()
    {
        using var rsa = RSA.Create(2048);
        var keyFile = Path.Combine(_folder, "dkim.pem");
        await File.WriteAllTextAsync(keyFile, rsa.ExportRSAPrivateKeyPem());
        var signer = new DkimSigner(
            Options.Create(new DkimOptions { Domain = "verdicts.example.com", Selector = "news", PrivateKeyPath = keyFile }),
            new HostingEnvironment { ContentRootPath = _folder });
        var factory = new MailFactory(Options.Create(DigestSamples.Options), signer);
        var prepared = DigestSamples.Renderer().Prepare(DigestSamples.Content(DigestSamples.Comparison(), DigestSamples.Comparison()));
        var rendered = prepared.RenderFor(new DigestReader("zoe@example.com", "Zoë «Z» Tester", "tok/zoe+1"));
        var message = factory.Build(new OutgoingMail(new MailboxAddress("Zoë «Z» Tester", "zoe@example.com"), prepared.Subject, rendered.Html, rendered.Text)
        {
            MessageIdKey = "issue-1.subscriber-1",
            Unsubscribe = new UnsubscribeLinks("https://verdicts.example.com/unsubscribe?token=t", "mailto:unsubscribe@verdicts.example.com?subject=t"),
        });
        var mail = Path.Combine(_folder, "mail.eml");
        await using (var file = File.Create(mail))
        {
            await message.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, file);
        }

        var publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        Assert.Equal("True", await DkimpyAsync(mail, publicKey));

        // The check can fail: one changed byte in the body no longer verifies.
        var bytes = await File.ReadAllBytesAsync(mail);
        var at = Array.LastIndexOf(bytes, (byte)'H');
        bytes[at] = (byte)'J';
        await File.WriteAllBytesAsync(mail, bytes);
        Assert.Equal("False", await DkimpyAsync(mail, publicKey));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<string> DkimpyAsync(string mail, string publicKey)
    {
        const string script = """
            import sys, dkim
            key = ('v=DKIM1; k=rsa; p=' + sys.argv[2]).encode()
            print(dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=lambda name, timeout=5: key))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script, mail, publicKey]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        var output = await python.StandardOutput.ReadToEndAsync();
        var errors = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, errors);
        return output.Trim();
    }
}
