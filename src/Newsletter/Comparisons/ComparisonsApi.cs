using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Comparisons;

/// <summary>PUT /api/comparisons/{slug} (upsert) and GET /api/comparisons.</summary>
public static class ComparisonsApi
{
    public static IEndpointRouteBuilder MapComparisons(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/comparisons");
        group.MapPut("/{slug}", PutAsync);
        group.MapGet("/", async (ComparisonStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        return app;
    }

    private static async Task<Results<Created, Ok, ValidationProblem>> PutAsync(
        string slug, HttpRequest request, ComparisonStore store, CancellationToken ct)
    {
        var (doc, errors) = await ComparisonParser.ParseAsync(request.Body, ct);
        if (doc is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The comparison document is not valid JSON");
        }

        if (doc.Slug is not null && doc.Slug != slug)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["slug"] = [$"must match the slug in the URL ({slug})"] },
                title: "The comparison document is not valid");
        }

        var result = await store.UpsertAsync(doc with { Slug = slug }, ct);
        return result.Outcome switch
        {
            UpsertOutcome.Created => TypedResults.Created($"/api/comparisons/{slug}"),
            UpsertOutcome.Updated => TypedResults.Ok(),
            _ => TypedResults.ValidationProblem(result.Errors, title: "The comparison document is not valid"),
        };
    }
}
