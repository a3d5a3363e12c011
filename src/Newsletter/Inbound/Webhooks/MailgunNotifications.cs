using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Newsletter.Mail;

namespace Newsletter.Inbound.Webhooks;

/// <summary>
/// Mailgun's webhooks (JSON): "signature" {timestamp, token, signature} and "event-data" with event
/// failed (severity permanent/temporary, reason, recipient, delivery-status {code, message,
/// description, enhanced-code}) or complained; message.headers.message-id names the mail.
/// </summary>
public static class MailgunNotifications
{
    public const string Provider = "mailgun";

    public static bool Looks(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("signature", out _) && root.TryGetProperty("event-data", out _);

    public static IReadOnlyList<ProviderReport> Read(JsonElement root)
    {
        var data = Json.Object(root, "event-data");
        var eventName = Json.String(data, "event");
        var severity = Json.String(data, "severity");
        var reasonName = Json.String(data, "reason");
        var hint = ProviderBounceTypes.MailgunEvent(eventName, severity, reasonName);
        var status = Json.Object(data, "delivery-status");
        var code = Json.String(status, "code") is { } c && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        var message = Json.String(status, "message");
        var description = Json.String(status, "description");
        var diagnostic = string.Join(" ", new[] { code?.ToString(CultureInfo.InvariantCulture), message, description }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var enhanced = Json.String(status, "enhanced-code") ?? ProviderBounceTypes.EnhancedCodeIn(diagnostic);
        var (reason, consequence) = ProviderBounceTypes.Classify(enhanced ?? code?.ToString(CultureInfo.InvariantCulture), diagnostic, hint);
        var messageId = Json.String(Json.Object(Json.Object(data, "message"), "headers"), "message-id");
        var type = string.Join("/", new[] { eventName, severity, reasonName }.Where(s => !string.IsNullOrEmpty(s)));
        return eventName is "failed" or "complained" or "delivered"
            ? [new ProviderReport(Provider, Json.String(data, "recipient") ?? "", eventName == "delivered" ? ProviderReportKind.Delivery : hint.Kind,
                code, enhanced, diagnostic.Length > 0 ? diagnostic : type, type, messageId, reason, consequence)]
            : [];
    }
}

/// <summary>
/// Mailgun's webhook signature: HMAC-SHA256 of timestamp + token under Bounces:MailgunSigningKey, a
/// timestamp within <see cref="MaxAge"/> of now, and a token not seen before (else a captured
/// signature could carry any body, since it covers no part of it). Tokens are remembered in memory
/// for as long as their timestamp is fresh, which is what makes an older one stale anyway.
/// </summary>
public sealed class MailgunSignature(IOptionsMonitor<BouncesOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>Null when the signature is right, fresh and new; else why not (never the key).</summary>
    public string? Refusal(JsonElement root)
    {
        var key = options.CurrentValue.MailgunSigningKey;
        if (string.IsNullOrEmpty(key))
        {
            return "Bounces:MailgunSigningKey is not set";
        }

        var signature = Json.Object(root, "signature");
        var timestamp = Json.String(signature, "timestamp");
        var token = Json.String(signature, "token");
        var presented = Json.String(signature, "signature");
        if (timestamp is null || token is null || presented is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "the signature lacks its timestamp, token or signature";
        }

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented.ToLowerInvariant())))
        {
            return "the signature does not verify";
        }

        var now = clock.GetUtcNow();
        var signedAt = seconds > 1L << 40 ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - signedAt).Duration() > MaxAge)
        {
            return "the signature's timestamp is stale";
        }

        foreach (var (old, at) in _seen)
        {
            if (now - at > MaxAge + MaxAge)
            {
                _seen.TryRemove(old, out _);
            }
        }

        return _seen.TryAdd(token, now) ? null : "the signature's token was used before";
    }
}
