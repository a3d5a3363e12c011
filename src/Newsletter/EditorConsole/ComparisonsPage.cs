using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;
using Newsletter.Digests;
using Newsletter.Votes;

namespace Newsletter.EditorConsole;

/// <summary>GET /admin/comparisons: every comparison, newest first: scheduled, waiting for the next digest, or carried by which issue.</summary>
internal static class ComparisonsPage
{
    public const int Limit = 500;

    public static void Map(RouteGroupBuilder console) => console.MapGet("/comparisons", ShowAsync);

    private static async Task<IResult> ShowAsync(ConsolePages pages, NewsletterDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Comparisons.AsNoTracking()
            .OrderByDescending(c => c.PublishedAt)
            .Take(Limit)
            .Select(c => new
            {
                c.Title,
                c.Slug,
                c.Url,
                c.PublishedAt,
                Tools = c.Tools.Count,
                Issue = db.Set<DigestIssueComparison>().Where(ic => ic.ComparisonId == c.Id).Select(ic => (int?)ic.Issue!.Number).FirstOrDefault(),
                Votes = db.Set<Vote>().Count(v => v.ComparisonId == c.Id),
            })
            .ToListAsync(ct);
        var items = rows.Select(c => new
        {
            c.Title,
            c.Slug,
            c.Url,
            Published = Display.Time(c.PublishedAt),
            c.Tools,
            c.Issue,
            State = c.Issue is not null ? "carried" : c.PublishedAt > now ? "scheduled" : "waiting",
            Votes = Display.Number(c.Votes),
        }).ToList();
        return pages.Page(ConsoleSection.Comparisons, "comparisons.html", "Comparisons", new
        {
            Comparisons = items,
            Waiting = items.Count(i => i.State == "waiting"),
            Carried = items.Count(i => i.State == "carried"),
            Scheduled = items.Count(i => i.State == "scheduled"),
            IsEmpty = items.Count == 0,
            Limited = items.Count == Limit,
            ShownLimit = Limit,
        });
    }
}
