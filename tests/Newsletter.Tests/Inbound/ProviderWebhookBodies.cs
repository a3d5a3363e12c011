using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Newsletter.Tests.Inbound;

/// <summary>
/// Provider notifications written by hand in the shapes their documentation gives (Amazon SES
/// notification contents, Postmark's bounce and spam-complaint webhooks, Mailgun's event webhooks).
/// </summary>
public static class ProviderWebhookBodies
{
    private static string Mail(string email, string messageId) => $$"""
        "mail": {
          "timestamp": "2026-12-07T09:00:01.123Z",
          "source": "digest@verdicts.example.com",
          "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/verdicts.example.com",
          "sourceIp": "192.0.2.10",
          "sendingAccountId": "123456789012",
          "messageId": "{{messageId}}",
          "destination": ["{{email}}"],
          "headersTruncated": false,
          "commonHeaders": { "from": ["AI Tool Verdicts <digest@verdicts.example.com>"], "to": ["{{email}}"], "subject": "AI Tool Verdicts #1" }
        }
        """;

    public static string SesBounce(string email, string type, string subType, string status, string diagnostic, string messageId = "0100018c4f7a2b3e-5d1e4a8b-aaaa-bbbb-cccc-000000000001-000000") => $$"""
        {
          "notificationType": "Bounce",
          "bounce": {
            "feedbackId": "0100018c4f7a2d11-{{Guid.NewGuid()}}-000000",
            "bounceType": "{{type}}",
            "bounceSubType": "{{subType}}",
            "bouncedRecipients": [ { "emailAddress": "{{email}}", "action": "failed", "status": "{{status}}", "diagnosticCode": "{{diagnostic}}" } ],
            "timestamp": "2026-12-07T09:00:03.456Z",
            "remoteMtaIp": "198.51.100.7",
            "reportingMTA": "dsn; a8-30.smtp-out.amazonses.com"
          },
          {{Mail(email, messageId)}}
        }
        """;

    public static string SesComplaint(string email, string feedbackType) => $$"""
        {
          "notificationType": "Complaint",
          "complaint": {
            "userAgent": "ExampleISP Feedback Loop (V0.01)",
            "complainedRecipients": [ { "emailAddress": "{{email}}" } ],
            "complaintFeedbackType": "{{feedbackType}}",
            "arrivalDate": "2026-12-07T10:00:00.000Z",
            "timestamp": "2026-12-07T10:00:01.000Z",
            "feedbackId": "0100018c4f7a2d11-{{Guid.NewGuid()}}-000000"
          },
          {{Mail(email, "0100018c4f7a2b3e-complained-000000")}}
        }
        """;

    public static string SesDelivery(string email) => $$"""
        {
          "notificationType": "Delivery",
          {{Mail(email, "0100018c4f7a2b3e-delivered-000000")}},
          "delivery": {
            "timestamp": "2026-12-07T09:00:02.000Z",
            "processingTimeMillis": 546,
            "recipients": ["{{email}}"],
            "smtpResponse": "250 2.0.0 OK 1701939602 a1-20020a17",
            "remoteMtaIp": "198.51.100.8",
            "reportingMTA": "a8-70.smtp-out.amazonses.com"
          }
        }
        """;

    public static string Postmark(string email, string type, int typeCode, string details, string messageId = "883953f4-6105-42a2-a16a-77a8eac79483")
    {
        var recordType = type == "SpamComplaint" ? "SpamComplaint" : "Bounce";
        return $$"""
            {
              "RecordType": "{{recordType}}",
              "MessageStream": "outbound",
              "ID": 4323372036854775807,
              "Type": "{{type}}",
              "TypeCode": {{typeCode}},
              "Name": "{{type}}",
              "Tag": "digest",
              "MessageID": "{{messageId}}",
              "Metadata": {},
              "ServerID": 23,
              "Description": "Postmark's description of {{type}}.",
              "Details": "{{details}}",
              "Email": "{{email}}",
              "From": "digest@verdicts.example.com",
              "BouncedAt": "2026-12-07T16:33:54.9070259Z",
              "DumpAvailable": true,
              "Inactive": {{(type == "HardBounce" ? "true" : "false")}},
              "CanActivate": true,
              "Subject": "AI Tool Verdicts #1",
              "Content": ""
            }
            """;
    }

    /// <summary>A Mailgun event, signed with <paramref name="key"/> (HMAC-SHA256 of timestamp + token) unless a signature is given.</summary>
    public static string Mailgun(
        string key, string email, string eventName, string? severity, int? code, string? enhanced, string message,
        DateTimeOffset? signedAt = null, string? token = null, string? signature = null, string reason = "bounce", string messageId = "20261207090001.1.ABCDEF@verdicts.example.com")
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        token ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(25));
        signature ??= Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        var status = code is null ? "" : $$"""
            "delivery-status": {
              "attempt-no": 1,
              "code": {{code}},
              "message": {{JsonSerializer.Serialize(message)}},
              "description": "",
              {{(enhanced is null ? "" : $"\"enhanced-code\": \"{enhanced}\",")}}
              "mx-host": "mx.example.com",
              "session-seconds": 0.43
            },
            """;
        return $$"""
            {
              "signature": { "timestamp": "{{timestamp}}", "token": "{{token}}", "signature": "{{signature}}" },
              "event-data": {
                "event": "{{eventName}}",
                "id": "G9Bn5sl1TC6nu79C8C0bwg",
                "timestamp": {{timestamp}}.375624,
                "log-level": "{{(eventName == "failed" ? "error" : "warn")}}",
                {{(severity is null ? "" : $"\"severity\": \"{severity}\", \"reason\": \"{reason}\",")}}
                "recipient": "{{email}}",
                "recipient-domain": "example.com",
                {{status}}
                "envelope": { "sender": "digest@verdicts.example.com", "transport": "smtp", "targets": "{{email}}" },
                "message": { "headers": { "to": "{{email}}", "message-id": "{{messageId}}", "from": "digest@verdicts.example.com", "subject": "AI Tool Verdicts #1" }, "attachments": [], "size": 4521 },
                "flags": { "is-routed": false, "is-authenticated": true, "is-system-test": false, "is-test-mode": false },
                "tags": [], "user-variables": {}
              }
            }
            """;
    }
}
