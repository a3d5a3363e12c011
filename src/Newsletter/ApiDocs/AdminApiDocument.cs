using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Newsletter.Web;

namespace Newsletter.ApiDocs;

/// <summary>The document's title and its one security scheme: the admin key in X-Api-Key.</summary>
internal sealed class AdminApiDocument : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "AdminKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Newsletter admin API";
        document.Info.Description =
            $"Every route needs the admin key (Newsletter:AdminApiKey) in the {AdminAuth.HeaderName} header, or the editors' " +
            "session cookie. Errors are RFC 7807 problem details (application/problem+json) naming each invalid field.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AdminAuth.HeaderName,
            Description = "The admin key (Newsletter:AdminApiKey).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] }];
        return Task.CompletedTask;
    }
}
