using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Subscribers;
using Newsletter.Web;

namespace Newsletter.Inbound;

/// <summary>A provider's bounce or complaint (SES, Postmark … post them rather than mail them).</summary>
public sealed record BounceRequest(string? Email, string? Type, string? Reason);

public sealed record BounceResponse(string Email, string Type, string Status, bool Stopped);

/// <summary>POST /api/bounces: the same actions as a report found in the mailbox.</summary>
public static class BouncesApi
{
    public static IEndpointRouteBuilder MapBouncesApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminApi("/bounces").MapPost("/", PostAsync);
        return app;
    }

    private static async Task<Results<Ok<BounceResponse>, ValidationProblem, ProblemHttpResult>> PostAsync(
        BounceRequest? request, BounceActions actions, Data.NewsletterDbContext db, CancellationToken ct)
    {
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
        var outcome = await actions.ApplyWebhookAsync(request.Email!.Trim(), kind!.Value, reason, ct);
        if (outcome is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No subscriber has that address");
        }

        var key = EmailAddress.KeyOf(request.Email);
        var status = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Subscribers.Where(s => s.EmailKey == key).Select(s => s.Status), ct);
        return TypedResults.Ok(new BounceResponse(request.Email.Trim(), request.Type!.Trim().ToLowerInvariant(), SubscriberCsv.StatusName(status), outcome.Stopped));
    }
}
