using System.Globalization;
using Microsoft.Extensions.Options;
using Newsletter.Hosting;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>
/// GET /admin: the editors' page in a browser, for an editor (<see cref="Editors.Policy"/>; a
/// stranger gets the sign-in page of <see cref="EditorSignIn"/>, which returns here): what the next
/// digest carries, the preview, and a "send me a preview" form.
/// </summary>
/// <remarks>
/// The preview form is read by hand (no [FromForm] binding). A post from another origin with the
/// session cookie is refused by the policy (<see cref="EditorRequirement"/>), before this runs.
/// </remarks>
public static class AdminPage
{
    public static IEndpointRouteBuilder MapAdminPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin", ShowAsync).RequireEditor();
        app.MapPost("/admin/preview", SendPreviewAsync).RequireEditor();
        return app;
    }

    private static async Task<IResult> ShowAsync(
        PageRenderer pages, DigestAssembler assembler,
        IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, string? sent, CancellationToken ct)
    {
        var message = string.IsNullOrEmpty(sent) ? null : $"Preview sent to {sent}.";
        return await PageAsync(pages, assembler, digest.Value, newsletter.Value, message, error: null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> SendPreviewAsync(
        HttpContext http, PageRenderer pages, DigestAssembler assembler, DigestPreviewer previewer,
        IOptions<DigestOptions> digest, IOptions<NewsletterOptions> newsletter, CancellationToken ct)
    {
        var field = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(ct))["to"].ToString() : "";
        var to = field.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var recipients = previewer.Recipients(to);
        if (!recipients.IsValid)
        {
            var error = string.Join(" ", recipients.Errors.Select(e => $"{(e.Key.StartsWith("to[", StringComparison.Ordinal) ? "Address " + (int.Parse(e.Key[3..^1], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture) : "The address field")} {string.Join(", ", e.Value)}."));
            return await PageAsync(pages, assembler, digest.Value, newsletter.Value, message: null, error, StatusCodes.Status400BadRequest, ct);
        }

        try
        {
            await previewer.SendAsync(recipients.Addresses, ct);
        }
        catch (Exception e) when (e is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException)
        {
            return await PageAsync(pages, assembler, digest.Value, newsletter.Value, message: null, "The preview could not be sent: " + e.Message, StatusCodes.Status502BadGateway, ct);
        }

        // Post/redirect/get: reloading the page does not send the preview again.
        return TypedResults.Redirect("/admin?sent=" + Uri.EscapeDataString(string.Join(", ", recipients.Addresses.Select(a => a.Address))));
    }

    private static async Task<IResult> PageAsync(
        PageRenderer pages, DigestAssembler assembler, DigestOptions digest, NewsletterOptions newsletter,
        string? message, string? error, int status, CancellationToken ct)
    {
        var plan = await assembler.PlanAsync(ct);
        return pages.Page("pages/admin.html", "Editors: next digest", new
        {
            plan.Number,
            plan.Subject,
            plan.IsEmpty,
            plan.WouldSend,
            plan.Waiting,
            digest.MaxComparisons,
            Comparisons = plan.Comparisons.Select(c => new
            {
                c.Title,
                c.Url,
                PublishedText = c.PublishedAt.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture),
            }).ToList(),
            Editors = string.Join(", ", newsletter.Editors),
            Message = message,
            Error = error,
        }, status);
    }
}
