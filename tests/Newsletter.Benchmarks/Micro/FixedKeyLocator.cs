using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Newsletter.Benchmarks.Micro;

/// <summary>Answers every DKIM key lookup with one public key: verifying without DNS.</summary>
internal sealed class FixedKeyLocator(AsymmetricKeyParameter key) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) => key;

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(key);
}
