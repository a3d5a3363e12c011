using System.Text.Json;
using Newsletter.Mail.Failures;

namespace Newsletter.Inbound.Webhooks;

/// <summary>
/// Postmark's bounce and spam-complaint webhooks: one JSON object, RecordType "Bounce" (Type,
/// TypeCode, Email, Details, Description, MessageID) or "SpamComplaint"; "Delivery" and others change nothing.
/// Postmark signs nothing: the webhook key in the URL (basic auth) is what lets it in.
/// </summary>
public static class PostmarkNotifications
{
    public const string Provider = "postmark";

    public static bool Looks(JsonElement root) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("RecordType", out _);

    public static IReadOnlyList<ProviderReport> Read(JsonElement root)
    {
        var recordType = Json.String(root, "RecordType");
        var messageId = Json.String(root, "MessageID");
        switch (recordType)
        {
            case "Bounce" or "SpamComplaint":
                var type = Json.String(root, "Type") ?? recordType;
                var hint = ProviderBounceTypes.PostmarkType(type);
                var details = Json.String(root, "Details");
                var diagnostic = string.IsNullOrWhiteSpace(details) ? Json.String(root, "Description") ?? type : details;
                var (reason, consequence) = ProviderBounceTypes.Classify(null, details, hint);
                return [new ProviderReport(Provider, Json.String(root, "Email") ?? "", hint.Kind, ProviderBounceTypes.SmtpCodeIn(details),
                    ProviderBounceTypes.EnhancedCodeIn(details), diagnostic, type, messageId, reason, consequence)];
            case "Delivery":
                return [new ProviderReport(Provider, Json.String(root, "Recipient") ?? "", ProviderReportKind.Delivery, null, null,
                    Json.String(root, "Details") ?? "delivered", "Delivery", messageId, FailureReason.Unknown, FailureConsequence.Soft)];
            default:
                return [];
        }
    }
}
