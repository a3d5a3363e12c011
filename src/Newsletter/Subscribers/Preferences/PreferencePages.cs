using Newsletter.Web;

namespace Newsletter.Subscribers.Preferences;

/// <summary>
/// GET /preferences shows a reader's choices and changes nothing (mail link scanners open every
/// link); POST /preferences saves them. As for unsubscribe and votes, the per-reader token in the
/// query is the only credential, so the form carries no antiforgery token: a forging site would need
/// the token, which only the reader's mail holds.
/// </summary>
public static class PreferencePages
{
    public static IEndpointRouteBuilder MapPreferencePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/preferences", ShowAsync);
        app.MapPost("/preferences", SaveAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(string? token, ReaderPreferences preferences, PageRenderer pages, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = "no-store";
        var view = await preferences.FindAsync(token, ct);
        return view is null ? Unknown(pages) : Page(pages, view, token!, saved: false, error: null);
    }

    private static async Task<IResult> SaveAsync(string? token, HttpContext http, ReaderPreferences preferences, PageRenderer pages, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : Microsoft.AspNetCore.Http.FormCollection.Empty;
        var (view, error) = await preferences.SaveAsync(
            token, new PreferencesForm(form["name"], form["frequency"], [.. form["topic"].OfType<string>()]), ct);
        return view is null
            ? Unknown(pages)
            : Page(pages, view, token!, saved: error is null, error, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static IResult Page(PageRenderer pages, PreferencesView view, string token, bool saved, string? error, int status = StatusCodes.Status200OK) =>
        pages.Page("pages/preferences.html", "Your choices", new
        {
            Email = view.MaskedEmail,
            Name = view.Name ?? "",
            Monthly = view.Frequency == ReadingFrequency.Monthly,
            view.AllTopics,
            Topics = view.Topics.Select((t, i) => new { Id = "topic-" + i, t.Key, t.Name, t.Comparisons, t.Picked }).ToList(),
            Token = token,
            Saved = saved,
            Error = error,
        }, status);

    private static IResult Unknown(PageRenderer pages) =>
        pages.Page("pages/preferences-failed.html", "This link is not valid", new { }, StatusCodes.Status404NotFound);
}
