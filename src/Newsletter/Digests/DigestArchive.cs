using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newsletter.Data;
using Newsletter.Hosting;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>One line of the public archive.</summary>
public sealed record ArchivedIssue(int Number, string Subject, string DateText, string Url);

/// <summary>
/// GET /issues and GET /issues/{number}: the public web version of every issue that has gone out.
/// An issue is public from the moment its send starts (Sending, Paused, Sent): readers who already
/// got the mail must find its "read on the web" link working. A queued issue is not public yet.
/// </summary>
public static class DigestArchive
{
    public static IEndpointRouteBuilder MapDigestArchive(this IEndpointRouteBuilder app)
    {
        app.MapGet("/issues", ListAsync);
        app.MapGet("/issues/{number:int}", ShowAsync).WithPageKind(PageKind.MailHtml);
        return app;
    }

    public static IQueryable<DigestIssue> Public(this IQueryable<DigestIssue> issues) =>
        issues.Where(i => i.Status != DigestIssueStatus.Queued);

    private static async Task<IResult> ListAsync(NewsletterDbContext db, PageRenderer pages, IOptions<NewsletterOptions> options, CancellationToken ct)
    {
        var issues = await db.Issues.AsNoTracking().Public()
            .OrderByDescending(i => i.Number)
            .Select(i => new { i.Number, i.Subject, i.CreatedAt, i.StartedAt })
            .ToListAsync(ct);
        var list = issues.Select(i => new ArchivedIssue(
            i.Number, i.Subject, DateText(i.StartedAt ?? i.CreatedAt), $"/issues/{i.Number.ToString(CultureInfo.InvariantCulture)}")).ToList();
        return pages.Page("pages/archive.html", "All issues", new { Issues = list, IsEmpty = list.Count == 0, FeedUrl = ArchiveFeed.Url(options.Value) },
            feedUrl: ArchiveFeed.Url(options.Value));
    }

    private static async Task<IResult> ShowAsync(int number, NewsletterDbContext db, DigestRenderer renderer, PageRenderer pages, CancellationToken ct)
    {
        var issue = await db.Issues.AsNoTracking().Public().SingleOrDefaultAsync(i => i.Number == number, ct);
        if (issue is null)
        {
            return pages.Page("pages/issue-missing.html", "No such issue", new { Number = number }, StatusCodes.Status404NotFound);
        }

        // Issues made before the snapshot existed are rendered from their comparisons as they are now.
        var html = issue.WebHtml ?? renderer.RenderWeb(await DigestRenderer.ContentAsync(db, issue, ct));
        return TypedResults.Text(html, "text/html; charset=utf-8");
    }

    private static string DateText(DateTimeOffset date) => date.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
