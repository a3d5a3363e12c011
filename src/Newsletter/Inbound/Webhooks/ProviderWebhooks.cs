using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Mail.Failures;

namespace Newsletter.Inbound.Webhooks;

/// <summary>What the webhook did with each report of a provider's body.</summary>
public sealed record WebhookResponse(string Provider, string Result, IReadOnlyList<WebhookReportResult> Reports);

public sealed record WebhookReportResult(string Email, string Kind, string Reason, string Consequence, string Outcome);

/// <summary>
/// A provider's own body at POST /api/bounces: checks that it is the provider's (SNS signature,
/// Mailgun signature; Postmark has only the webhook key), answers an SNS subscription confirmation,
/// and applies each report through <see cref="BounceActions"/>, once however often it is posted.
/// A refused body changes nothing (403). A report about nobody we know is still 200, else the
/// provider would retry it for days.
/// </summary>
public sealed class ProviderWebhooks(
    SnsVerifier sns, MailgunSignature mailgun, BounceActions actions, IHttpClientFactory http, ILogger<ProviderWebhooks> logger)
{
    public async Task<IResult> HandleAsync(JsonElement root, string body, CancellationToken cancellationToken)
    {
        if (SnsEnvelope.Looks(root))
        {
            return await SnsAsync(root, body, cancellationToken);
        }

        if (MailgunNotifications.Looks(root))
        {
            if (mailgun.Refusal(root) is { } refusal)
            {
                return Refused("mailgun", refusal);
            }

            return await ApplyAsync("mailgun", MailgunNotifications.Read(root), body, cancellationToken);
        }

        return await ApplyAsync("postmark", PostmarkNotifications.Read(root), body, cancellationToken);
    }

    private async Task<IResult> SnsAsync(JsonElement root, string body, CancellationToken cancellationToken)
    {
        if (SnsEnvelope.Read(root) is not { } envelope)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The SNS message lacks a field",
                detail: "An SNS message has Type, MessageId, TopicArn, Message, Timestamp, Signature and SigningCertURL.");
        }

        if (await sns.RefusalAsync(envelope, cancellationToken) is { } refusal)
        {
            if (refusal.TryLater)
            {
                logger.LogWarning("SNS message {MessageId} not checked yet: {Reason}", envelope.MessageId, refusal.Reason);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The SNS signature cannot be checked now", detail: refusal.Reason);
            }

            return Refused("ses", refusal.Reason);
        }

        switch (envelope.Type)
        {
            case "SubscriptionConfirmation":
                if (!SnsVerifier.IsAmazonSnsUrl(envelope.SubscribeUrl))
                {
                    return Refused("ses", "the SubscribeURL is not an https URL on an SNS host of Amazon's");
                }

                using (var response = await http.CreateClient(SnsVerifier.ClientName).GetAsync(new Uri(envelope.SubscribeUrl!), cancellationToken))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        logger.LogWarning("Confirming the SNS subscription to {Topic} failed: {Status}", envelope.TopicArn, (int)response.StatusCode);
                        return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Amazon SNS refused the confirmation",
                            detail: $"GET SubscribeURL answered {(int)response.StatusCode}.");
                    }
                }

                logger.LogInformation("Confirmed the SNS subscription to {Topic}", envelope.TopicArn);
                return TypedResults.Ok(new WebhookResponse("ses", "subscription confirmed", []));
            case "UnsubscribeConfirmation":
                logger.LogInformation("SNS says this endpoint was unsubscribed from {Topic}", envelope.TopicArn);
                return TypedResults.Ok(new WebhookResponse("ses", "unsubscribed", []));
            case "Notification":
                return SesNotifications.Read(envelope.Message) is { } reports
                    ? await ApplyAsync("ses", reports, body, cancellationToken)
                    : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The SNS message holds no SES notification",
                        detail: "Message must be the JSON of an SES bounce, complaint or delivery notification.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown SNS message type", detail: "Type must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation.");
        }
    }

    private async Task<IResult> ApplyAsync(string provider, IReadOnlyList<ProviderReport> reports, string body, CancellationToken cancellationToken)
    {
        var results = new List<WebhookReportResult>();
        foreach (var report in reports)
        {
            var outcome = "nothing to do";
            if (report.Action is { } action)
            {
                if (!Subscribers.EmailAddress.TryParse(report.Email, out _, out _))
                {
                    outcome = "not an address";
                }
                else
                {
                    var reason = $"{Kebab(report.Reason)} ({provider} {report.ProviderType}): {report.Diagnostic}";
                    var done = await actions.ApplyWebhookAsync(
                        report.Email, action, reason, WebhookRepeat.Of(report, body),
                        new FailureVerdict(report.Reason, report.Consequence, report.EnhancedCode, report.Diagnostic), cancellationToken);
                    outcome = done is null ? "no subscriber has that address"
                        : done.AlreadyHandled ? "already handled"
                        : done.Stopped ? "mail to them stopped"
                        : action == ReportKind.Sender ? "recorded; the reader stays"
                        : "recorded";
                }
            }

            results.Add(new WebhookReportResult(report.Email, report.Kind.ToString().ToLowerInvariant(), Kebab(report.Reason), report.Consequence.ToString().ToLowerInvariant(), outcome));
        }

        return TypedResults.Ok(new WebhookResponse(provider, "handled", results));
    }

    private ProblemHttpResult Refused(string provider, string reason)
    {
        logger.LogWarning("Refused a {Provider} notification at /api/bounces: {Reason}", provider, reason);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"Not a verified {provider} notification", detail: reason);
    }

    /// <summary>user-unknown, mailbox-full …: how reasons are shown and stored.</summary>
    public static string Kebab(FailureReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
