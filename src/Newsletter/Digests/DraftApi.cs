using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Digests;

/// <summary>
/// GET/PUT /api/digests/next/draft: the editors' draft of the next issue. GET answers an ETag (the
/// draft's version); PUT needs it back, as If-Match (412 when the draft changed) or as "version" in
/// the body (409), so an editor never saves over a draft they have not seen.
/// </summary>
public static class DraftApi
{
    public static IEndpointRouteBuilder MapDraftApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/digests");
        group.MapGet("/next/draft", GetAsync);
        group.MapPut("/next/draft", PutAsync);
        return app;
    }

    private static async Task<Ok<DraftView>> GetAsync(DigestDrafts drafts, HttpResponse response, CancellationToken ct)
    {
        var draft = await drafts.GetAsync(ct);
        response.Headers.ETag = draft.ETag;
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(draft);
    }

    private static async Task<Results<Ok<DraftView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        DraftChange change, DigestDrafts drafts, HttpRequest request, HttpResponse response, CancellationToken ct)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        int expected;
        if (ifMatch.Length > 0)
        {
            if (!int.TryParse(ifMatch.Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out expected))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
                    title: "The draft changed since you read it", detail: $"If-Match {ifMatch} is no version of the draft: read it again (GET /api/digests/next/draft).");
            }
        }
        else if (change.Version is { } version)
        {
            expected = version;
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: "Say which draft you edited",
                detail: "Send the version you read, as the If-Match header (the ETag of GET /api/digests/next/draft) or as \"version\" in the body, so a save cannot overwrite another editor's.");
        }

        var saved = await drafts.SaveAsync(change, expected, ct);
        response.Headers.ETag = saved.Draft.ETag;
        return saved.Outcome switch
        {
            DraftSaveOutcome.Saved => TypedResults.Ok(saved.Draft),
            DraftSaveOutcome.Invalid => TypedResults.ValidationProblem(saved.Errors, title: "The draft was not saved"),
            _ => TypedResults.Problem(
                statusCode: ifMatch.Length > 0 ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status409Conflict,
                title: "The draft changed since you read it",
                detail: $"Another editor saved the draft (or an issue was made from it) after you read version {expected}; it is at version {saved.Draft.Version} now. Nothing was saved: read it again and redo your change."),
        };
    }
}
