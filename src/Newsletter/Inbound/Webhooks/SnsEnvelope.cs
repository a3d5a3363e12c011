using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Newsletter.Inbound.Webhooks;

/// <summary>An Amazon SNS message as posted to an HTTPS subscription (the JSON body, sent as text/plain).</summary>
public sealed record SnsEnvelope(
    string Type, string MessageId, string TopicArn, string? Subject, string Message, string Timestamp,
    string SignatureVersion, string Signature, string SigningCertUrl, string? SubscribeUrl, string? Token)
{
    public static bool Looks(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(nameof(TopicArn), out _) && root.TryGetProperty(nameof(Type), out _);

    public static SnsEnvelope? Read(JsonElement root)
    {
        string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var type = Field("Type");
        var id = Field("MessageId");
        var topic = Field("TopicArn");
        var message = Field("Message");
        var timestamp = Field("Timestamp");
        var signature = Field("Signature");
        var cert = Field("SigningCertURL");
        return type is null || id is null || topic is null || message is null || timestamp is null || signature is null || cert is null
            ? null
            : new SnsEnvelope(type, id, topic, Field("Subject"), message, timestamp, Field("SignatureVersion") ?? "1", signature, cert, Field("SubscribeURL"), Field("Token"));
    }

    /// <summary>
    /// The string SNS signs: "Name\nValue\n" for the documented fields of the message's type, in
    /// byte order of their names (Subject only when present).
    /// </summary>
    public string StringToSign()
    {
        var fields = Type == "Notification"
            ? new (string, string?)[] { ("Message", Message), ("MessageId", MessageId), ("Subject", Subject), ("Timestamp", Timestamp), ("TopicArn", TopicArn), ("Type", Type) }
            : [("Message", Message), ("MessageId", MessageId), ("SubscribeURL", SubscribeUrl), ("Timestamp", Timestamp), ("Token", Token), ("TopicArn", TopicArn), ("Type", Type)];
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                text.Append(name).Append('\n').Append(value).Append('\n');
            }
        }

        return text.ToString();
    }
}

/// <summary>Why an SNS message was refused; TryLater: answer so that SNS retries.</summary>
public sealed record SnsRefusal(string Reason, bool TryLater = false);

/// <summary>
/// Checks that an SNS message comes from Amazon: its signing certificate is served over https by an
/// SNS host of Amazon's (sns.REGION.amazonaws.com, or .com.cn), and the signature (version 1:
/// SHA1withRSA, 2: SHA256withRSA) verifies with that certificate's key. Certificates are fetched
/// once per URL with the "SnsCertificates" HttpClient and kept.
/// </summary>
public sealed partial class SnsVerifier(IHttpClientFactory http, TimeProvider clock, ILogger<SnsVerifier> logger)
{
    public const string ClientName = "SnsCertificates";

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);

    /// <summary>Whether a URL (SigningCertURL, SubscribeURL) is https on an SNS host of Amazon's.</summary>
    public static bool IsAmazonSnsUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort
        && string.IsNullOrEmpty(uri.UserInfo) && SnsHost().IsMatch(uri.IdnHost);

    /// <summary>Null when the message is Amazon's; else why not, and whether it may pass (the certificate could not be fetched now).</summary>
    public async Task<SnsRefusal?> RefusalAsync(SnsEnvelope envelope, CancellationToken cancellationToken)
    {
        if (!IsAmazonSnsUrl(envelope.SigningCertUrl) || !envelope.SigningCertUrl.EndsWith(".pem", StringComparison.OrdinalIgnoreCase))
        {
            return new SnsRefusal("the signing certificate is not an https .pem on an SNS host of Amazon's");
        }

        var hash = envelope.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => (HashAlgorithmName?)null,
        };
        if (hash is null)
        {
            return new SnsRefusal($"unknown SignatureVersion {envelope.SignatureVersion}");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(envelope.Signature);
        }
        catch (FormatException)
        {
            return new SnsRefusal("the signature is not base64");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = await CertificateAsync(envelope.SigningCertUrl, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException or TaskCanceledException)
        {
            logger.LogWarning("Could not fetch the SNS signing certificate {Url}: {Error}", envelope.SigningCertUrl, e.Message);
            return new SnsRefusal("the signing certificate could not be fetched", TryLater: true);
        }

        var now = clock.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return new SnsRefusal("the signing certificate is not valid now");
        }

        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(Encoding.UTF8.GetBytes(envelope.StringToSign()), signature, hash.Value, RSASignaturePadding.Pkcs1)
            ? null
            : new SnsRefusal("the signature does not verify");
    }

    private async Task<X509Certificate2> CertificateAsync(string url, CancellationToken cancellationToken)
    {
        if (_certificates.TryGetValue(url, out var known))
        {
            return known;
        }

        var pem = await http.CreateClient(ClientName).GetStringAsync(new Uri(url), cancellationToken);
        var certificate = X509Certificate2.CreateFromPem(pem);
        return _certificates.GetOrAdd(url, certificate);
    }

    [GeneratedRegex(@"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SnsHost();
}
