using Scalar.AspNetCore;

namespace Newsletter.ApiDocs;

/// <summary>
/// GET /openapi/v1.json: the admin API (/api/…) described, generated from the routes themselves, so a
/// new route is documented by being mapped. Public: it describes shapes, no data and no secret; the
/// interactive page (Scalar, served from the package, nothing from a CDN) is in the editors' console.
/// </summary>
public static class ApiDocsServiceCollectionExtensions
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<AdminApiDocument>();
            options.AddOperationTransformer<AdminApiOperations>();
        });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));
        return app;
    }

    /// <summary>The interactive page, mapped inside the console's route group so it shares its sign-in.</summary>
    /// <remarks>
    /// Scalar reads the document relative to its own page, so the console serves it there too
    /// (behind the console's sign-in); the public copy stays at <see cref="DocumentPath"/>.
    /// </remarks>
    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder console, string path)
    {
        console.MapOpenApi(path + "/openapi/{documentName}.json");
        return console.MapScalarApiReference(path, options => options
            .WithTitle("Newsletter admin API")
            .DisableDefaultFonts()
            .WithOpenApiRoutePattern("openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(AdminApiDocument.ApiKeyScheme));
    }
}
