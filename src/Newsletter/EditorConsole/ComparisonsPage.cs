using Newsletter.Comparisons;
using Newsletter.Digests;
using Newsletter.Votes;

namespace Newsletter.EditorConsole;

/// <summary>GET /admin/comparisons: every comparison, newest first: scheduled, waiting for the next digest, or carried by which issue.</summary>
internal static class ComparisonsPage
{
    public const int Limit = 500;

    public static void Map(RouteGroupBuilder console) => console.MapGet("/comparisons", ShowAsync);

    private static async Task<IResult> ShowAsync(
        ConsolePages pages, ComparisonReads comparisons, IssueReads issues, VoteReads votes, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var newest = await comparisons.NewestAsync(Limit, ct);
        var ids = newest.Select(c => c.Id).ToList();
        var carried = await issues.IssueNumbersAsync(ids, ct);
        var voted = await votes.PerComparisonAsync(ids, ct);
        var rows = newest.Select(c => new
        {
            c.Title,
            c.Slug,
            c.Url,
            c.PublishedAt,
            c.Tools,
            Issue = carried.TryGetValue(c.Id, out var number) ? number : (int?)null,
            Votes = voted.GetValueOrDefault(c.Id),
        });
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
