using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Data;
using Newsletter.Inbound.Webhooks;
using Newsletter.Tests.Fixtures;

namespace Newsletter.Tests.Inbound;

/// <summary>
/// The product with a webhook key and a Mailgun signing key, whose SNS HttpClient reaches a stand-in
/// for Amazon instead of the internet: it serves a certificate made here at an sns.us-east-1 URL and
/// records every request (the SubscribeURL GET among them). <see cref="SignSns"/> signs as SNS does.
/// </summary>
public sealed class ProviderWebhookApp : NewsletterApp
{
    public const string WebhookKey = "webhook-key-3c9e61f0a7";
    public const string MailgunKey = "mailgun-signing-key-5d2b8e4f1a9c7e30";
    public const string CertUrl = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem";
    public const string TopicArn = "arn:aws:sns:us-east-1:123456789012:newsletter-bounces";

    private readonly RSA _key = RSA.Create(2048);

    public ProviderWebhookApp()
        : this(DatabaseProvider.Sqlite)
    {
    }

    internal ProviderWebhookApp(DatabaseProvider provider)
        : base(new Dictionary<string, string?>
        {
            ["Bounces:WebhookKey"] = WebhookKey,
            ["Bounces:MailgunSigningKey"] = MailgunKey,
        }, provider)
    {
        var request = new CertificateRequest("CN=sns.amazonaws.com", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Amazon = new FakeAmazon(certificate.ExportCertificatePem());
    }

    public FakeAmazon Amazon { get; }

    /// <summary>A client that puts the webhook key in the URL's user info, as a provider's console does (sent as basic auth).</summary>
    public HttpClient CreateWebhookClient(string key = WebhookKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("postmark:" + key)));
        return client;
    }

    /// <summary>An SNS message signed with this app's test key (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) over SNS's string to sign.</summary>
    public string SignSns(string type, string message, string version = "2", string certUrl = CertUrl, string? subscribeUrl = null, string? messageId = null)
    {
        var fields = new Dictionary<string, string?>
        {
            ["Type"] = type,
            ["MessageId"] = messageId ?? Guid.NewGuid().ToString(),
            ["TopicArn"] = TopicArn,
            ["Message"] = message,
            ["Timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["SignatureVersion"] = version,
            ["SigningCertURL"] = certUrl,
        };
        if (type == "Notification")
        {
            fields["Subject"] = "Amazon SES Email Event Notification";
            fields["UnsubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TopicArn + ":1";
        }
        else
        {
            fields["Token"] = "2336412f37fb687f5d51e6e2425dacbba";
            fields["SubscribeURL"] = subscribeUrl ?? $"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn={TopicArn}&Token=2336412f37fb687f5d51e6e2425dacbba";
        }

        string[] signed = type == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        var text = string.Concat(signed.Select(name => $"{name}\n{fields[name]}\n"));
        var hash = version == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        fields["Signature"] = Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(text), hash, RSASignaturePadding.Pkcs1));
        return JsonSerializer.Serialize(fields);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddHttpClient(SnsVerifier.ClientName).ConfigurePrimaryHttpMessageHandler(() => Amazon));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _key.Dispose();
        }
    }

    /// <summary>Amazon as the app's SNS client sees it: the certificate at <see cref="CertUrl"/>, 200 for a confirmation, 404 elsewhere.</summary>
    public sealed class FakeAmazon(string certificatePem) : HttpMessageHandler
    {
        public ConcurrentQueue<Uri> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Requests.Enqueue(uri);
            var response = uri.AbsoluteUri == CertUrl ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(certificatePem) }
                : uri.Host == "sns.us-east-1.amazonaws.com" && uri.Query.Contains("Action=ConfirmSubscription", StringComparison.Ordinal)
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<ConfirmSubscriptionResponse/>") }
                : new HttpResponseMessage(HttpStatusCode.NotFound);
            return Task.FromResult(response);
        }
    }
}
