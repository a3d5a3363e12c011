using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Newsletter.Mail;

/// <summary>DKIM-signs every mail when Dkim:Domain, Selector and PrivateKeyPath are set.</summary>
public sealed class DkimSigner
{
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ReplyTo,
        HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost, HeaderId.ListId, HeaderId.MimeVersion, HeaderId.ContentType,
    ];

    private readonly MimeKit.Cryptography.DkimSigner _signer;

    public DkimSigner(IOptions<DkimOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        _signer = new OpenSslDkimSigner(Path.Combine(environment.ContentRootPath, o.PrivateKeyPath!), o.Domain!, o.Selector!)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }

    public void Sign(MimeMessage message)
    {
        // DKIM signs the body as it will be sent: fix the transfer encodings first.
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(message, [.. SignedHeaders.Where(h => message.Headers.Contains(h))]);
    }
}
