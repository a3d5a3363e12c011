using Newsletter.Web;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// The preference page's "download my data" and "erase me" buttons POST here, and that only mails a
/// one-time link to the reader's address (a forwarded digest's link hands neither over). The mailed
/// link's GET shows one button and changes nothing (mail link scanners open every link); its POST
/// downloads the JSON or erases. The tokens in the query are the credentials, as for unsubscribe.
/// </summary>
public static class DataRequestPages
{
    private const string ExportPath = "/my-data/export";
    private const string ErasePath = "/my-data/erase";

    public static string LinkPath(DataRequestPurpose purpose, string token) =>
        (purpose == DataRequestPurpose.Erase ? ErasePath : ExportPath) + "?token=" + Uri.EscapeDataString(token);

    public static IEndpointRouteBuilder MapDataRequestPages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/preferences/export", (string? token, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct) =>
            AskAsync(token, DataRequestPurpose.Export, requests, pages, response, ct)).DisableAntiforgery();
        app.MapPost("/preferences/erase", (string? token, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct) =>
            AskAsync(token, DataRequestPurpose.Erase, requests, pages, response, ct)).DisableAntiforgery();
        app.MapGet(ExportPath, (string? token, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct) =>
            ShowAsync(token, DataRequestPurpose.Export, requests, pages, response, ct));
        app.MapGet(ErasePath, (string? token, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct) =>
            ShowAsync(token, DataRequestPurpose.Erase, requests, pages, response, ct));
        app.MapPost(ExportPath, ExportAsync).DisableAntiforgery();
        app.MapPost(ErasePath, EraseAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> AskAsync(
        string? token, DataRequestPurpose purpose, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-store";
        var email = await requests.AskAsync(token, purpose, ct);
        return email is null
            ? pages.Page("pages/preferences-failed.html", "This link is not valid", new { }, StatusCodes.Status404NotFound)
            : pages.Page("pages/data-link-sent.html", "Check your inbox", new
            {
                Email = email,
                Erase = purpose == DataRequestPurpose.Erase,
                Token = token,
                ExpiresInHours = (int)ReaderDataRequests.LinkLifetime.TotalHours,
            });
    }

    private static async Task<IResult> ShowAsync(
        string? token, DataRequestPurpose purpose, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-store";
        var email = await requests.FindAsync(token, purpose, ct);
        if (email is null)
        {
            return Invalid(pages);
        }

        var erase = purpose == DataRequestPurpose.Erase;
        return pages.Page("pages/data-link.html", erase ? "Erase your data" : "Download your data", new
        {
            Email = email,
            Erase = erase,
            Action = LinkPath(purpose, token!),
        });
    }

    private static async Task<IResult> ExportAsync(string? token, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-store";
        var json = await requests.ExportAsync(token, ct);
        return json is null ? Invalid(pages) : Results.File(json, "application/json", "my-data.json");
    }

    private static async Task<IResult> EraseAsync(string? token, ReaderDataRequests requests, PageRenderer pages, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-store";
        return await requests.EraseAsync(token, ct)
            ? pages.Page("pages/data-erased.html", "Your data is erased", new { })
            : Invalid(pages);
    }

    private static IResult Invalid(PageRenderer pages) =>
        pages.Page("pages/data-link-failed.html", "This link is not valid",
            new { ExpiresInHours = (int)ReaderDataRequests.LinkLifetime.TotalHours }, StatusCodes.Status404NotFound);
}
