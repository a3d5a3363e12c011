using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Newsletter.Web;

namespace Newsletter.ApiDocs;

/// <summary>
/// The document's title and the admin key's two security schemes: X-Api-Key, or the same key as a
/// bearer token. Which operation needs them is said per operation (<see cref="AdminApiOperations"/>):
/// a few /api routes are public (a comparison's votes, read by the comparison site).
/// </summary>
internal sealed class AdminApiDocument(Microsoft.Extensions.Options.IOptions<Newsletter.Hosting.NewsletterOptions> options) : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = Editors.ApiKeyScheme;

    public const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Newsletter admin API";

        // The site's own address, not the request's Host header (which anyone can set).
        document.Servers = [new OpenApiServer { Url = options.Value.PublicBaseUrl.TrimEnd('/') }];
        document.Info.Description =
            $"Every route that lists a security requirement needs the admin key (Newsletter:AdminApiKey) in the {Editors.HeaderName} " +
            "header or as Authorization: Bearer, or the editors' session cookie (changes with the cookie only from this site's own pages). " +
            "Errors are RFC 7807 problem details (application/problem+json) naming each invalid field.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Editors.HeaderName,
            Description = "The admin key (Newsletter:AdminApiKey).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin key (Newsletter:AdminApiKey) as a bearer token.",
        };
        return Task.CompletedTask;
    }
}
