using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Newsletter.Comparisons;
using Newsletter.Web;

namespace Newsletter.ApiDocs;

/// <summary>
/// What the route handlers cannot say by their signature: the admin key a route needs (read from the
/// route's own "editor" policy, or a policy object that holds the editor requirement, so a public route is documented as public), the refusals every admin
/// route shares (401, 429, 503 as problem details), a problem-details default for the other errors,
/// and the bodies of the two routes that read their request themselves (to report every invalid field at once).
/// </summary>
internal sealed class AdminApiOperations : IOpenApiOperationTransformer
{
    private static readonly (int Status, string Description)[] SharedRefusals =
    [
        (StatusCodes.Status401Unauthorized, "No valid admin key or editor session"),
        (StatusCodes.Status429TooManyRequests, "Too many wrong keys from this address: wait a minute"),
        (StatusCodes.Status503ServiceUnavailable, "The admin API is disabled: Newsletter:AdminApiKey is not set"),
    ];

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var problem = await ProblemSchemaAsync(context, cancellationToken);
        operation.Responses ??= [];
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var forEditors = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Editors.Policy)
            || metadata.OfType<AuthorizationPolicy>().Any(p => p.Requirements.OfType<EditorRequirement>().Any());
        if (forEditors && context.Document is { } document)
        {
            // Either scheme will do: two requirements, one scheme each.
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AdminApiDocument.ApiKeyScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AdminApiDocument.BearerScheme, document)] = [] },
            ];
            foreach (var (status, description) in SharedRefusals)
            {
                operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ProblemResponse(problem, description));
            }
        }

        operation.Responses.TryAdd("default", ProblemResponse(problem, "Any other error, as problem details"));

        var route = $"{context.Description.HttpMethod} {context.Description.RelativePath}";
        if (operation.RequestBody is null && route == "PUT api/comparisons/{slug}")
        {
            operation.RequestBody = Body("application/json", await context.GetOrCreateSchemaAsync(typeof(ComparisonDocument), null, cancellationToken),
                "The comparison document (see the README); the slug must match the route's");
        }
        else if (operation.RequestBody is null && route == "POST api/subscribers/import")
        {
            operation.RequestBody = Body("text/csv", new OpenApiSchema { Type = JsonSchemaType.String },
                "CSV with a header row: email,name[,status]; or a multipart form with the file");
        }
    }

    /// <summary>ProblemDetails once in the components, referenced by every operation (not copied into each).</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        const string id = nameof(ProblemDetails);
        if (context.Document is not { } document)
        {
            return await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        }

        return new OpenApiSchemaReference(id, document);
    }

    private static OpenApiResponse ProblemResponse(IOpenApiSchema schema, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
    };

    private static OpenApiRequestBody Body(string mediaType, IOpenApiSchema schema, string description) => new()
    {
        Required = true,
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema } },
    };
}
