using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>The next digest as JSON, as it would be made now.</summary>
public sealed record NextDigest(
    int Number,
    string Subject,
    bool WouldSend,
    int Waiting,
    IReadOnlyList<NextDigestComparison> Comparisons);

public sealed record NextDigestComparison(string Slug, string Title, string Url, DateTimeOffset PublishedAt);

public sealed record PreviewRequest(List<string>? To);

public sealed record PreviewSent(int Number, string Subject, IReadOnlyList<string> SentTo);

/// <summary>GET /api/digests/next, GET /api/digests/next/preview, POST /api/digests/preview.</summary>
public static class DigestsApi
{
    public static IEndpointRouteBuilder MapDigestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapGet("/next", NextAsync);
        group.MapGet("/next/preview", PreviewAsync);
        group.MapPost("/preview", SendPreviewAsync);
        return app;
    }

    public static async Task<NextDigest> NextAsync(DigestAssembler assembler, CancellationToken ct)
    {
        var plan = await assembler.PlanAsync(ct);
        return new NextDigest(
            plan.Number,
            plan.Subject,
            plan.WouldSend,
            plan.Waiting,
            [.. plan.Comparisons.Select(c => new NextDigestComparison(c.Slug, c.Title, c.Url, c.PublishedAt))]);
    }

    /// <summary>The next digest as a reader would get it (the sample reader's personal parts); ?format=text for the text part.</summary>
    private static async Task<ContentHttpResult> PreviewAsync(string? format, DigestPreviewer previewer, HttpResponse response, CancellationToken ct)
    {
        var preview = await previewer.PrepareNextAsync(ct);
        var mail = preview.Prepared.RenderFor(previewer.SampleReader());

        // The preview shows content we do not control: no scripts, nothing loaded from elsewhere but images.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        return string.Equals(format, "text", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Text(mail.Text, "text/plain; charset=utf-8")
            : TypedResults.Text(mail.Html, "text/html; charset=utf-8");
    }

    private static async Task<Results<Ok<PreviewSent>, ValidationProblem, ProblemHttpResult>> SendPreviewAsync(
        PreviewRequest? request, DigestPreviewer previewer, CancellationToken ct)
    {
        var recipients = previewer.Recipients(request?.To);
        if (!recipients.IsValid)
        {
            return TypedResults.ValidationProblem(recipients.Errors, title: "The preview has no valid recipient");
        }

        try
        {
            var preview = await previewer.SendAsync(recipients.Addresses, ct);
            return TypedResults.Ok(new PreviewSent(
                preview.Plan.Number, DigestPreviewer.SubjectPrefix + preview.Plan.Subject, [.. recipients.Addresses.Select(a => a.Address)]));
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The preview could not be sent", detail: e.Message);
        }
    }
}
