using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Newsletter.Comparisons;
using Newsletter.Data;

namespace Newsletter.Votes;

public sealed record ToolVotes(string Name, int Ship, int Skip, int? ShipPercent);

public sealed record ComparisonVotes(string Slug, IReadOnlyList<ToolVotes> Tools);

/// <summary>
/// GET /api/comparisons/{slug}/votes: the readers' votes for the comparison site. Public (outside
/// the admin group), readable from any origin (a simple GET, so no preflight), and cacheable for a
/// minute: the figures change slowly and the site may show them on every page view.
/// </summary>
public static class VotesApi
{
    public static IEndpointRouteBuilder MapVotesApi(this IEndpointRouteBuilder app)
    {
        // HEAD too: a cache or a link checker asks before it reads.
        app.MapMethods("/api/comparisons/{slug}/votes", [HttpMethods.Get, HttpMethods.Head], GetAsync);
        return app;
    }

    private static async Task<Results<Ok<ComparisonVotes>, NotFound>> GetAsync(string slug, NewsletterDbContext db, HttpResponse response, CancellationToken ct)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        var comparison = await db.Comparisons.AsNoTracking().SingleOrDefaultAsync(c => c.Slug == slug, ct);
        if (comparison is null)
        {
            return TypedResults.NotFound();
        }

        var tallies = await VoteCounts.ForAsync(db, [comparison.Id], ct);
        response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Ok(new ComparisonVotes(comparison.Slug, [.. comparison.Tools.Select(t =>
        {
            var tally = tallies.GetValueOrDefault((comparison.Id, t.Name), VoteTally.None);
            return new ToolVotes(t.Name, tally.Ship, tally.Skip, tally.ShipPercent);
        })]));
    }
}
