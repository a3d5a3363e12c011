using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Delivery;

/// <summary>A cancelled domain: how many waiting mails were skipped.</summary>
public sealed record DomainCancelResponse(string Domain, int Skipped);

/// <summary>
/// /api/domains: the recipient domains the reputation guard paused (GET), and an editor's answer to
/// each: resume its mail or cancel it (POST …/resume, …/cancel). The console's buttons do the same.
/// </summary>
public static class DomainPausesApi
{
    public static IEndpointRouteBuilder MapDomainPausesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/domains");
        group.MapGet("/paused", async (DomainPauses pauses, CancellationToken ct) => TypedResults.Ok(await pauses.ListAsync(ct)));
        group.MapPost("/paused/{domain}/resume", ResumeAsync);
        group.MapPost("/paused/{domain}/cancel", CancelAsync);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResumeAsync(string domain, DomainPauses pauses, DeliveryEngine engine, CancellationToken ct)
    {
        if (!await pauses.ResumeAsync(Normalise(domain), ct))
        {
            return NotPaused(domain);
        }

        engine.Wake();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DomainCancelResponse>, ProblemHttpResult>> CancelAsync(string domain, DomainPauses pauses, CancellationToken ct) =>
        await pauses.CancelAsync(Normalise(domain), ct) is { } skipped
            ? TypedResults.Ok(new DomainCancelResponse(Normalise(domain), skipped))
            : NotPaused(domain);

    private static string Normalise(string domain) => domain.Trim().ToLowerInvariant();

    private static ProblemHttpResult NotPaused(string domain) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "That domain is not paused", detail: $"No mail to {Normalise(domain)} is held.");
}
