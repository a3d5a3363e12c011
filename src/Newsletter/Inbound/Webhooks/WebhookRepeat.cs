using System.Security.Cryptography;
using System.Text;
using Newsletter.Subscribers;

namespace Newsletter.Inbound.Webhooks;

/// <summary>
/// What makes a webhook report the same report again (a provider retries until it hears 2xx, and
/// may post twice anyway): the provider's id of the mail with the recipient and the type, for good;
/// or, without such an id, the same body about the same recipient within Bounces:WebhookRepeatWindow.
/// Kept as the report's InboundKey (hashed: bodies are long, and hold addresses).
/// </summary>
public sealed record WebhookRepeat(string Key, bool Windowed)
{
    public static WebhookRepeat OfMessage(string provider, string messageId, string email, string type) =>
        new("webhook:" + Hash($"{provider}\n{messageId}\n{EmailAddress.KeyOf(email)}\n{type}"), Windowed: false);

    public static WebhookRepeat OfBody(string body, string email) =>
        new("webhook-body:" + Hash($"{body}\n{EmailAddress.KeyOf(email)}"), Windowed: true);

    public static WebhookRepeat Of(ProviderReport report, string body) =>
        string.IsNullOrWhiteSpace(report.MessageId) ? OfBody(body, report.Email)
        : OfMessage(report.Provider, report.MessageId, report.Email, $"{report.ProviderType}/{report.Action}");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
