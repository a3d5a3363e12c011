using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Newsletter.Web;

namespace Newsletter.Comparisons;

/// <summary>PUT /api/comparisons/{slug} (upsert) and GET /api/comparisons.</summary>
public static class ComparisonsApi
{
    /// <summary>
    /// A comparison at every field's limit is well under 1 MB of JSON; 4 MB leaves room for text
    /// written as \u escapes and refuses the rest before it is read.
    /// </summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapComparisons(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminApi("/comparisons");
        group.MapPut("/{slug}", PutAsync);
        group.MapGet("/", async (ComparisonStore store, IComparisonIssues issues, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(issues, ct)));
        return app;
    }

    private static async Task<Results<Created, Ok, ValidationProblem, ProblemHttpResult>> PutAsync(
        string slug, HttpContext http, ComparisonStore store, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        // A body without a length (chunked) is cut off by the server at the same limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        var (doc, errors) = await ComparisonParser.ParseAsync(http.Request.Body, ct);
        if (doc is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The comparison document cannot be read");
        }

        // Every invalid field at once: the slug's mismatch with the URL among the others.
        errors = ComparisonValidator.Validate(doc with { Slug = slug });
        if (doc.Slug is not null && doc.Slug != slug)
        {
            string[] mismatch = [$"must match the slug in the URL ({slug})"];
            errors["slug"] = errors.TryGetValue("slug", out var other) ? [.. other, .. mismatch] : mismatch;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The comparison document is not valid");
        }

        var result = await store.UpsertAsync(doc with { Slug = slug }, ct);
        return result.Outcome switch
        {
            UpsertOutcome.Created => TypedResults.Created($"/api/comparisons/{slug}"),
            UpsertOutcome.Updated => TypedResults.Ok(),
            _ => TypedResults.ValidationProblem(result.Errors, title: "The comparison document is not valid"),
        };
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The comparison document is too large",
        detail: $"A comparison document is at most {MaxBodyBytes / (1024 * 1024)} MB of JSON.");
}
