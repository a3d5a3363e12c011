using Newsletter.EditorAccounts;

namespace Newsletter.EditorConsole;

/// <summary>GET /admin/editors: who may sign in; POST /admin/editors adds one, POST /admin/editors/remove removes one (and ends their sessions).</summary>
internal static class EditorsPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/editors", async (ConsolePages pages, EditorDirectory editors, CancellationToken ct, string? done = null) =>
            await PageAsync(pages, editors, done, null, StatusCodes.Status200OK, ct));
        console.MapPost("/editors", AddAsync);
        console.MapPost("/editors/remove", RemoveAsync);
    }

    private static async Task<IResult> AddAsync(HttpRequest request, ConsolePages pages, EditorDirectory editors, CancellationToken ct)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var email = EditorDirectory.Normalise(form?["email"].ToString(), out var error);
        var name = form?["name"].ToString();
        if (email is null || name is { Length: > EditorDirectory.MaxName })
        {
            return await PageAsync(pages, editors, null, email is null ? $"The editor cannot be added: {error}." : $"The name is longer than {EditorDirectory.MaxName} characters.", StatusCodes.Status400BadRequest, ct);
        }

        var added = await editors.AddAsync(email, name, ct);
        return TypedResults.Redirect("/admin/editors?done=" + Uri.EscapeDataString(added == EditorAdded.Added ? "added " + email : email + " is an editor already"));
    }

    private static async Task<IResult> RemoveAsync(HttpRequest request, ConsolePages pages, EditorDirectory editors, CancellationToken ct)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var email = EditorDirectory.Normalise(form?["email"].ToString(), out _);
        if (email is null || !await editors.RemoveAsync(email, ct))
        {
            return await PageAsync(pages, editors, null, "There is no such editor.", StatusCodes.Status404NotFound, ct);
        }

        return TypedResults.Redirect("/admin/editors?done=" + Uri.EscapeDataString("removed " + email));
    }

    private static async Task<IResult> PageAsync(ConsolePages pages, EditorDirectory editors, string? done, string? error, int status, CancellationToken ct) =>
        pages.Page(ConsoleSection.Editors, "editors.html", "Editors", new
        {
            Editors = (await editors.ListAsync(ct)).Select(e => new { e.Email, e.Name, Added = Display.Date(e.AddedAt) }).ToList(),
            Done = done,
            Error = error,
        }, status);
}
