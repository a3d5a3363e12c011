using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>
/// The /api/digests routes of the next digest, which Digests answers alone: what it would carry, its
/// preview, and a preview sent to editors. The issues' routes are Delivery's (its DigestsApi).
/// </summary>
public static class NextDigestApi
{
    public static IEndpointRouteBuilder MapNextDigestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapGet("/next", NextAsync);
        group.MapGet("/next/preview", PreviewAsync).WithPageKind(PageKind.MailPreview);
        group.MapPost("/preview", SendPreviewAsync);
        return app;
    }

    private static async Task<NextDigest> NextAsync(DigestAssembler assembler, CancellationToken ct) =>
        NextDigest.From(await assembler.PlanAsync(ct));

    /// <summary>The next digest as a reader would get it (the sample reader's personal parts); ?format=text for the text part.</summary>
    private static async Task<ContentHttpResult> PreviewAsync(string? format, DigestPreviewer previewer, HttpResponse response, CancellationToken ct)
    {
        var preview = await previewer.PrepareNextAsync(ct);
        var mail = preview.Prepared.RenderFor(previewer.SampleReader());

        response.Headers.CacheControl = "no-store";
        return string.Equals(format, "text", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Text(mail.Text, "text/plain; charset=utf-8")
            : TypedResults.Text(mail.Html, "text/html; charset=utf-8");
    }

    private static async Task<Results<Ok<PreviewSent>, ValidationProblem, ProblemHttpResult>> SendPreviewAsync(
        PreviewRequest? request, DigestPreviewer previewer, CancellationToken ct)
    {
        var recipients = await previewer.RecipientsAsync(request?.To, ct);
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
