using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Delivery;

/// <summary>POST /api/digests/{number}/pause and /resume: an editor stops a send where it is and lets it go on later.</summary>
public static class IssueControlApi
{
    public static IEndpointRouteBuilder MapIssueControlApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapPost("/{number:int}/pause", PauseAsync);
        group.MapPost("/{number:int}/resume", ResumeAsync);
        return app;
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> PauseAsync(int number, IssueControl control, CancellationToken ct) =>
        Answer(await control.PauseAsync(number, ct), "The issue cannot be paused", "Only a queued, sending or paused issue can be paused; this one is sent or already paused by an editor.");

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ResumeAsync(int number, IssueControl control, CancellationToken ct) =>
        Answer(await control.ResumeAsync(number, ct), "The issue cannot be resumed", "Only a paused issue can be resumed.");

    private static Results<NoContent, NotFound, ProblemHttpResult> Answer(IssueControlResult result, string title, string detail) => result switch
    {
        IssueControlResult.Done => TypedResults.NoContent(),
        IssueControlResult.NotFound => TypedResults.NotFound(),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail),
    };
}
