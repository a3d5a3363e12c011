using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Newsletter.Inbound.Webhooks;
using Newsletter.Subscribers;

namespace Newsletter.Inbound;

/// <summary>A bounce or complaint in the product's own words, for scripts and providers that can be told what to post.</summary>
public sealed record BounceRequest(string? Email, string? Type, string? Reason);

public sealed record BounceResponse(string Email, string Type, string Status, bool Stopped);

/// <summary>
/// POST /api/bounces: the same actions as a report found in the mailbox. It takes the product's own
/// JSON (<see cref="BounceRequest"/>) or a provider's own notification as the provider posts it:
/// Amazon SES through SNS (signature verified), Postmark, Mailgun (signature verified). Editors and
/// Bounces:WebhookKey may post (<see cref="WebhookAccess"/>). The same report posted again (a
/// provider's retry) changes nothing.
/// </summary>
public static class BouncesApi
{
    /// <summary>SNS messages are at most 256 KB; Postmark may include the bounce's content.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapBouncesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/bounces", PostAsync)
            .RequireAuthorization(WebhookAccess.Policy)
            .Accepts<BounceRequest>("application/json", "text/plain")
            .Produces<BounceResponse>()
            .Produces<WebhookResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> PostAsync(HttpContext http, ProviderWebhooks providers, BounceActions actions, Data.NewsletterDbContext db, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The report is too large", detail: "A report is at most 1 MB.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The report is not JSON",
                detail: $"Line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message.Split('.')[0]}.");
        }

        return SnsEnvelope.Looks(root) || PostmarkNotifications.Looks(root) || MailgunNotifications.Looks(root)
            ? await providers.HandleAsync(root, body, ct)
            : await OwnAsync(root, body, actions, db, ct);
    }

    /// <summary>The product's own body: {"email", "type": "hard"|"soft"|"complaint", "reason"}.</summary>
    private static async Task<IResult> OwnAsync(JsonElement root, string body, BounceActions actions, Data.NewsletterDbContext db, CancellationToken ct)
    {
        BounceRequest? request;
        try
        {
            request = root.ValueKind == JsonValueKind.Object ? root.Deserialize<BounceRequest>(JsonSerializerOptions.Web) : null;
        }
        catch (JsonException)
        {
            request = null;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.Email) || !EmailAddress.TryParse(request.Email, out _, out _))
        {
            errors["email"] = ["must be the subscriber's mail address"];
        }

        ReportKind? kind = request?.Type?.Trim().ToLowerInvariant() switch
        {
            "hard" => ReportKind.Hard,
            "soft" => ReportKind.Soft,
            "complaint" => ReportKind.Complaint,
            _ => null,
        };
        if (kind is null)
        {
            errors["type"] = ["must be hard, soft or complaint"];
        }

        if (request?.Reason is { Length: > 500 })
        {
            errors["reason"] = ["must be at most 500 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The bounce report is not valid");
        }

        var reason = string.IsNullOrWhiteSpace(request!.Reason) ? "reported by the provider" : request.Reason;
        var outcome = await actions.ApplyWebhookAsync(request.Email!.Trim(), kind!.Value, reason, WebhookRepeat.OfBody(body, request.Email), null, ct);
        if (outcome is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No subscriber has that address");
        }

        var status = await db.Subscribers.Where(s => s.Id == outcome.SubscriberId).Select(s => s.Status).SingleAsync(ct);
        return TypedResults.Ok(new BounceResponse(request.Email.Trim(), request.Type!.Trim().ToLowerInvariant(), SubscriberCsv.StatusName(status), outcome.Stopped));
    }
}
