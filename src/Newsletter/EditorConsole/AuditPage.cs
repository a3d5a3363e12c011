using Newsletter.Audit;

namespace Newsletter.EditorConsole;

/// <summary>GET /admin/audit?editor=&amp;page=: the audit log, newest first, filtered by who acted.</summary>
internal static class AuditPage
{
    public const int PageSize = 100;

    public static void Map(RouteGroupBuilder console) => console.MapGet("/audit", ShowAsync);

    private static async Task<IResult> ShowAsync(ConsolePages pages, AuditLog log, CancellationToken ct, string? editor = null, int page = 1)
    {
        var status = page < 1 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        page = Math.Max(page, 1);
        var entries = await log.ReadAsync(editor, page, PageSize, ct);
        var actors = await log.ActorsAsync(ct);
        var filter = string.IsNullOrWhiteSpace(editor) ? null : editor.Trim();
        string Link(int p) => "/admin/audit?" + (filter is null ? "" : "editor=" + Uri.EscapeDataString(filter) + "&") + "page=" + p;
        return pages.Page(ConsoleSection.Audit, "audit.html", "Audit log", new
        {
            Entries = entries.Entries.Select(e => new { At = Display.Time(e.At), Iso = e.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture), e.Actor, e.Action, e.Detail }).ToList(),
            Actors = actors.Select(a => new { Name = a, Selected = a == filter }).ToList(),
            Filter = filter,
            Error = status == StatusCodes.Status400BadRequest ? "There is no such page: pages start at 1." : null,
            Previous = page > 1 ? Link(page - 1) : null,
            Next = entries.HasMore ? Link(page + 1) : null,
        }, status);
    }
}
