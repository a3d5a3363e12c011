using System.Text.Json;
using Newsletter.Mail.Failures;

namespace Newsletter.Inbound.Webhooks;

/// <summary>
/// Amazon SES's notification (the JSON string in an SNS message's Message): notificationType (or,
/// from an event destination, eventType) Bounce, Complaint or Delivery, one report per recipient.
/// </summary>
public static class SesNotifications
{
    public const string Provider = "ses";

    /// <summary>The reports in one SES notification; null when the text is not one.</summary>
    public static IReadOnlyList<ProviderReport>? Read(string message)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(message).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = Json.String(root, "notificationType") ?? Json.String(root, "eventType");
        var messageId = root.TryGetProperty("mail", out var mail) ? Json.String(mail, "messageId") : null;
        var reports = new List<ProviderReport>();
        switch (type)
        {
            case "Bounce" when root.TryGetProperty("bounce", out var bounce):
                var bounceType = Json.String(bounce, "bounceType");
                var subType = Json.String(bounce, "bounceSubType");
                var hint = ProviderBounceTypes.SesBounce(bounceType, subType);
                foreach (var r in Json.Objects(bounce, "bouncedRecipients"))
                {
                    var status = Json.String(r, "status");
                    var diagnostic = Json.String(r, "diagnosticCode");
                    var (reason, consequence) = ProviderBounceTypes.Classify(status, diagnostic, hint);
                    reports.Add(new ProviderReport(Provider, Json.String(r, "emailAddress") ?? "", ProviderReportKind.Bounce,
                        ProviderBounceTypes.SmtpCodeIn(diagnostic), ProviderBounceTypes.EnhancedCodeIn(status) ?? ProviderBounceTypes.EnhancedCodeIn(diagnostic),
                        diagnostic ?? $"{bounceType}/{subType}", $"{bounceType}/{subType}", messageId, reason, consequence));
                }

                break;
            case "Complaint" when root.TryGetProperty("complaint", out var complaint):
                var feedback = Json.String(complaint, "complaintFeedbackType");
                var meaning = ProviderBounceTypes.SesComplaint(feedback);
                foreach (var r in Json.Objects(complaint, "complainedRecipients"))
                {
                    reports.Add(new ProviderReport(Provider, Json.String(r, "emailAddress") ?? "", meaning.Kind, null, null,
                        "complaint" + (feedback is null ? "" : $" ({feedback})"), "Complaint/" + (feedback ?? "none"), messageId, meaning.Reason, meaning.Consequence));
                }

                break;
            case "Delivery" when root.TryGetProperty("delivery", out var delivery):
                foreach (var address in Json.Strings(delivery, "recipients"))
                {
                    var response = Json.String(delivery, "smtpResponse") ?? "delivered";
                    reports.Add(new ProviderReport(Provider, address, ProviderReportKind.Delivery, ProviderBounceTypes.SmtpCodeIn(response), null,
                        response, "Delivery", messageId, FailureReason.Unknown, FailureConsequence.Soft));
                }

                break;
            default:
                break;
        }

        return reports;
    }
}

/// <summary>Reading the providers' JSON without failing on a field of another type.</summary>
internal static class Json
{
    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    public static IEnumerable<JsonElement> Objects(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)
            : [];

    public static IEnumerable<string> Strings(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
            : [];

    public static JsonElement Object(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
}
